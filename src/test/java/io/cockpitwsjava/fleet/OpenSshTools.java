package io.cockpitwsjava.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** The real OpenSSH command-line tools, for checking our certificates from the outside. */
final class OpenSshTools {

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
    }

    private OpenSshTools() {
    }

    /** Makes an unencrypted CA key of {@code type} ({@code ed25519}, {@code ecdsa}, {@code rsa}) with ssh-keygen. */
    static Path newCaKey(Path dir, String type) {
        Path key = dir.resolve("user_ca_" + type);
        run(Map.of(), "ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test-ca", "-f", key.toString());
        return key;
    }

    /** Writes the certificate as {@code NAME-cert.pub} and the private key as {@code NAME} (0600), as ssh expects. */
    static Path writeForOpenSsh(Path dir, String name, UserCertificate cert) {
        try {
            Path key = dir.resolve(name);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // the private key file holds the plain key pair; the certificate goes next to it
            KeyPair plain = new KeyPair(cert.certificate().getCertPubKey(), cert.keyPair().getPrivate());
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(plain, "", null, out);
            Files.write(key, out.toByteArray());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve(name + "-cert.pub"), PublicKeyEntry.toString(cert.certificate()) + "\n");
            return key;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ssh-keygen -L} of a certificate file, times in UTC. It verifies the CA signature while parsing. */
    static String describe(Path certFile) {
        Result r = run(Map.of("TZ", "UTC"), "ssh-keygen", "-L", "-f", certFile.toString());
        if (r.exitCode != 0) {
            throw new IllegalStateException("ssh-keygen -L failed: " + r.output);
        }
        return r.output;
    }

    static Result run(Map<String, String> env, String... command) {
        try {
            ProcessBuilder b = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
            b.environment().putAll(env);
            Process p = b.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(List.of(command) + " did not finish");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
