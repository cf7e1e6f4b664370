package io.cockpitwsjava.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The users file: its format, bcrypt checks against hashes made by htpasswd, and every way a line can be wrong. */
class UsersFileTest {

    static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");

    /**
     * {@code user:hash} as {@code htpasswd -nbB -C 10} prints it; where htpasswd is not installed (apache2-utils), the
     * same format made with Bouncy Castle, and a note on the console.
     */
    static String htpasswdLine(String user, String password) {
        if (Files.isExecutable(HTPASSWD)) {
            return htpasswd(user, password, "-C", "10");
        }
        System.out.println("htpasswd (apache2-utils) is not installed: bcrypt entries made with Bouncy Castle instead");
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10);
    }

    static String htpasswd(String user, String password, String... options) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of(HTPASSWD.toString(), "-nbB"));
            command.addAll(List.of(options));
            command.addAll(List.of(user, password));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "htpasswd: " + out);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void needHtpasswd() {
        Assumptions.assumeTrue(Files.isExecutable(HTPASSWD),
                "htpasswd (apache2-utils) is not installed: src/scripts/install-deps installs it");
    }

    @Test
    void htpasswdEntriesWithAndWithoutGroups() throws Exception {
        needHtpasswd();
        UsersFile file = UsersFile.parse("# admins\n\n" + htpasswd("alice", "pässwörd", "-C", "10") + ":ops,dev\n"
                + "  " + htpasswd("bob", "bob", "-C", "4") + "  \r\n");
        assertEquals(2, file.size());
        var alice = file.check("alice", "pässwörd".toCharArray()).orElseThrow();
        assertEquals(Set.of("ops", "dev"), alice.groups());
        assertEquals(Set.of(), file.check("bob", "bob".toCharArray()).orElseThrow().groups());
        assertTrue(file.check("alice", "passwort".toCharArray()).isEmpty());
        assertTrue(file.check("alice", "".toCharArray()).isEmpty());
        assertTrue(file.check("carol", "pässwörd".toCharArray()).isEmpty());
        assertTrue(file.check(null, "x".toCharArray()).isEmpty());
        assertEquals(1, file.warnings().size(), "cost 4 is accepted but warned about: " + file.warnings());
        assertTrue(file.warnings().get(0).startsWith("line 4 (bob): bcrypt cost 4 is low"), file.warnings().get(0));
        assertFalse(alice.toString().contains("$2"), "no hash in toString: " + alice);
    }

    @Test
    void passwordsAreCutAt72BytesLikeHtpasswdDoes() throws Exception {
        needHtpasswd();
        String long80 = "0123456789".repeat(8);
        UsersFile file = UsersFile.parse(htpasswd("long", long80, "-C", "4"));
        assertTrue(file.check("long", long80.toCharArray()).isPresent());
        assertTrue(file.check("long", (long80.substring(0, 72) + "anything").toCharArray()).isPresent());
        assertTrue(file.check("long", long80.substring(0, 71).toCharArray()).isEmpty());
    }

    @Test
    void bcryptVariants2a2bAnd2yAllWork() throws Exception {
        byte[] salt = new byte[16];
        StringBuilder text = new StringBuilder();
        for (String v : List.of("2a", "2b", "2y")) {
            text.append("u").append(v).append(':').append(OpenBSDBCrypt.generate(v, "pw".toCharArray(), salt, 4))
                    .append('\n');
        }
        UsersFile file = UsersFile.parse(text.toString());
        for (String v : List.of("2a", "2b", "2y")) {
            assertTrue(file.check("u" + v, "pw".toCharArray()).isPresent(), v);
        }
    }

    @Test
    void everyBadLineIsReportedWithItsNumber() {
        String hash = "$2y$10$" + "a".repeat(53);
        InvalidUsersFileException e = assertThrows(InvalidUsersFileException.class, () -> UsersFile.parse(String.join("\n",
                "alice:" + hash,
                "nohash",
                "bob:plaintext-password",
                "carol:$1$md5crypt$abcdefghijklmnopqrstuv",
                "dave:" + hash + ":ops, dev",
                "alice:" + hash,
                "eve:" + "$2y$03$" + "a".repeat(53),
                "with space:" + hash,
                "frank:" + hash + ":ops:extra",
                "gina:" + hash + ":ops,,dev")));
        List<String> p = e.problems();
        assertEquals(9, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("line 2:"), p.get(0));
        assertTrue(p.get(1).startsWith("line 3 (bob): not a bcrypt hash"), p.get(1));
        assertFalse(e.getMessage().contains("plaintext-password"), "a misplaced password is never repeated");
        assertTrue(p.get(2).startsWith("line 4 (carol): not a bcrypt hash"), p.get(2));
        assertTrue(p.get(3).startsWith("line 5 (dave): groups"), p.get(3));
        assertTrue(p.get(4).equals("line 6: user alice is already defined on line 1"), p.get(4));
        assertTrue(p.get(5).startsWith("line 7 (eve): bcrypt cost 3"), p.get(5));
        assertTrue(p.get(6).startsWith("line 8: user name"), p.get(6));
        assertTrue(p.get(7).startsWith("line 9:"), p.get(7));
        assertTrue(p.get(8).startsWith("line 10 (gina): groups"), p.get(8));
    }

    @Test
    void anEmptyFileLetsNobodyIn() throws Exception {
        UsersFile file = UsersFile.parse("# nobody yet\n");
        assertEquals(0, file.size());
        assertTrue(file.check("root", "root".toCharArray()).isEmpty());
    }

    @Test
    void hugePasswordsAreRefusedWithoutHashing() throws Exception {
        byte[] salt = new byte[16];
        UsersFile file = UsersFile.parse("a:" + OpenBSDBCrypt.generate("2y", "x".toCharArray(), salt, 4));
        assertTrue(file.check("a", "x".repeat(UsersFile.MAX_PASSWORD_CHARS + 1).toCharArray()).isEmpty());
    }
}
