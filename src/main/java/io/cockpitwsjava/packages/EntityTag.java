package io.cockpitwsjava.packages;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Entity tags of package files, taken from the bytes sent (docs/protocol.md §4.4): the same bytes always get the same
 * tag, so a browser's stored copy is current exactly when its tag matches, whoever serves the file.
 */
public final class EntityTag {
    /** How a revalidated package file may be kept: privately, and only after asking again (If-None-Match). */
    public static final String REVALIDATE = "private, no-cache";

    private EntityTag() {
    }

    /** A strong tag: the first 128 bits of the SHA-256 of {@code body}, quoted. */
    public static String of(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** RFC 9110 §13.1.2: an {@code If-None-Match} list (nullable) names {@code etag}, weakly compared, or is {@code *}. */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String item : ifNoneMatch.split(",")) {
            String t = item.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
