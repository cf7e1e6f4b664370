package io.cockpitwsjava.packages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entity tags of package files, from their content (a SHA-256 prefix), remembered with the file's size and
 * modification time so that a revalidation (If-None-Match) is answered without reading the file again. Only files of
 * a package index are ever asked for, so the map is as large as the packages. Thread-safe.
 */
final class FileTags {
    /** A file's content and the tag of exactly that content. */
    record Read(byte[] body, String etag) {
    }

    private record Tag(long size, long modified, String etag) {
    }

    private final Map<Path, Tag> tags = new ConcurrentHashMap<>();

    /** The tag of the file as it is now, if it was read before and has not changed since; else null. */
    String current(Path file) throws IOException {
        Tag t = tags.get(file);
        if (t == null) {
            return null;
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.size() == t.size() && a.lastModifiedTime().toMillis() == t.modified() ? t.etag() : null;
    }

    /** Reads the file and tags what was read; the attributes are taken first, so a later change is noticed. */
    Read read(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        byte[] body = Files.readAllBytes(file);
        String etag = EntityTag.of(body);
        tags.put(file, new Tag(a.size(), a.lastModifiedTime().toMillis(), etag));
        return new Read(body, etag);
    }

    /** The tag of the decompressed representation of a stored {@code .gz} with tag {@code gzipTag}. */
    static String identity(String gzipTag) {
        return gzipTag.substring(0, gzipTag.length() - 1) + "-identity\"";
    }
}
