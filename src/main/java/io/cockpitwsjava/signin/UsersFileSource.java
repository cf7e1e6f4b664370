package io.cockpitwsjava.signin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.SignInConfig;

/**
 * The configured users file ({@code cockpit.fleet.sign-in.users-file}), read again whenever it changes (a Kubernetes
 * Secret update, an edit by hand), so adding or removing a person needs no restart. A file that becomes invalid or
 * unreadable keeps the previous version in force and logs why; one that is invalid from the start lets nobody in.
 *
 * <p>Blocking (file I/O): call it from a worker thread.
 */
@Singleton
public class UsersFileSource {
    private static final Logger LOG = Logger.getLogger(UsersFileSource.class);
    /** A users file for a handful of admins is tiny; anything much bigger is a mistake. */
    static final long MAX_BYTES = 1 << 20;

    private record Stamp(FileTime modified, long size, Object key) {
    }

    private record Loaded(Stamp stamp, UsersFile file) {
    }

    @Inject
    SignInConfig config;

    private Loaded loaded;
    private Stamp failedStamp;
    private String lastError;

    /** The users file in force, if one is configured and has ever been valid. */
    public synchronized Optional<UsersFile> current() {
        Optional<Path> path = config.usersFile();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Stamp stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(path.get(), BasicFileAttributes.class);
            stamp = new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException e) {
            failed(null, "users file " + path.get() + " cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
            return loaded == null ? Optional.empty() : Optional.of(loaded.file());
        }
        if (loaded != null && loaded.stamp().equals(stamp) || stamp.equals(failedStamp)) {
            return loaded == null ? Optional.empty() : Optional.of(loaded.file());
        }
        try {
            UsersFile file = UsersFile.parse(read(path.get(), stamp.size()));
            boolean first = loaded == null;
            loaded = new Loaded(stamp, file);
            failedStamp = null;
            lastError = null;
            LOG.infof("users file %s %s: %d user(s)", path.get(), first ? "loaded" : "reloaded", file.size());
            file.warnings().forEach(w -> LOG.warnf("users file %s: %s", path.get(), w));
        } catch (InvalidUsersFileException e) {
            failed(stamp, "users file " + path.get() + " is invalid" + (loaded != null
                    ? ", keeping the previous version: " : ", nobody can sign in until it is fixed: ")
                    + String.join("; ", e.problems()));
        } catch (IOException e) {
            failed(stamp, "users file " + path.get() + " cannot be read: " + e.getMessage());
        }
        return loaded == null ? Optional.empty() : Optional.of(loaded.file());
    }

    private void failed(Stamp stamp, String message) {
        // logged once per problem, not on every sign-in attempt
        if (!message.equals(lastError)) {
            LOG.error(message);
        }
        lastError = message;
        failedStamp = stamp;
    }

    private static String read(Path path, long size) throws IOException {
        if (size > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES + " bytes");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8");
        }
    }
}
