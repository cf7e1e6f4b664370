package io.cockpitwsjava.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.cockpitwsjava.ssh.KnownHosts;

/**
 * The global known_hosts file for the prober, parsed again only when its size or modification time changed: the
 * prober asks for it at every new connection, and at start-up that is every host at once.
 */
final class KnownHostsFile implements Supplier<KnownHosts> {

    private static final Logger LOG = Logger.getLogger(KnownHostsFile.class);

    private final Path file;
    private Object stamp;
    private KnownHosts parsed = KnownHosts.EMPTY;

    KnownHostsFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized KnownHosts get() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object now = a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
            if (!now.equals(stamp)) {
                parsed = KnownHosts.load(file);
                stamp = now;
            }
        } catch (NoSuchFileException e) {
            parsed = KnownHosts.EMPTY;
            stamp = null;
        } catch (IOException e) {
            LOG.warnf("cannot read %s: %s; keeping what was read before", file, e.toString());
        }
        return parsed;
    }
}
