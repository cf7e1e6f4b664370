package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of the gateway's own credentials let anyone log in with just a user name (issue 7 row 13). */
class UnattendedCredentialsTest {

    @TempDir
    static Path tmp;
    static Path plainKey;
    static Path encryptedKey;

    static final HostAccessPolicy ANY = new HostAccessPolicy(List.of("*:22"), List.of());
    static final HostAccessPolicy LISTED = new HostAccessPolicy(List.of("10.0.0.0/8", "*.lab.example"), List.of());

    @BeforeAll
    static void keys() throws Exception {
        plainKey = keygen("id_plain", "");
        encryptedKey = keygen("id_encrypted", "a passphrase");
    }

    static Path keygen(String name, String passphrase) throws IOException, InterruptedException {
        Path key = tmp.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f",
                key.toString()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        return key;
    }

    @Test
    void unencryptedKeyWithAnyHostIsWarnedAbout() {
        UnattendedCredentials c = UnattendedCredentials.of(Map.of("COCKPIT_SSH_KEY_PATH", plainKey.toString()));
        assertTrue(c.exposedToAnyHost(ANY));
        String warning = c.warning(ANY).orElseThrow();
        assertTrue(warning.startsWith("Anyone who reaches the login page can log in with just a user name"), warning);
        assertTrue(warning.contains(plainKey.toString()), warning);
        assertTrue(warning.contains("cockpit.ssh.allowed-hosts"), warning);
    }

    @Test
    void agentWithAnyHostIsWarnedAbout() {
        UnattendedCredentials c = UnattendedCredentials.of(Map.of("SSH_AUTH_SOCK", "/run/agent.sock"));
        assertTrue(c.warning(new HostAccessPolicy(List.of("0.0.0.0/0:*"), List.of())).orElseThrow()
                .contains("ssh-agent at /run/agent.sock"));
    }

    @Test
    void encryptedKeyNeedsTheUsersPassword() {
        UnattendedCredentials c = UnattendedCredentials.of(Map.of("COCKPIT_SSH_KEY_PATH", encryptedKey.toString()));
        assertEquals(Optional.empty(), c.warning(ANY));
        assertEquals(Optional.empty(), c.note(ANY));
    }

    @Test
    void anAllowListThatNamesHostsTurnsTheWarningIntoANote() {
        UnattendedCredentials c = UnattendedCredentials.of(Map.of("COCKPIT_SSH_KEY_PATH", plainKey.toString(),
                "SSH_AUTH_SOCK", "/run/agent.sock"));
        assertFalse(c.exposedToAnyHost(LISTED));
        assertEquals(Optional.empty(), c.warning(LISTED));
        String note = c.note(LISTED).orElseThrow();
        assertTrue(note.contains(plainKey.toString()) && note.contains("ssh-agent"), note);
    }

    @Test
    void perHostKeysAreOnlyNoted() {
        UnattendedCredentials c = UnattendedCredentials.of(Map.of("COCKPIT_SSH_KEY_PATH_DB1", plainKey.toString()));
        assertEquals(Optional.empty(), c.warning(ANY));
        assertTrue(c.note(ANY).orElseThrow().contains("for host db1"));
    }

    @Test
    void missingOrEmptySettingsAreNothing() {
        UnattendedCredentials c = UnattendedCredentials.of(Map.of("COCKPIT_SSH_KEY_PATH",
                tmp.resolve("absent").toString(), "SSH_AUTH_SOCK", "", "PATH", "/usr/bin"));
        assertEquals(Optional.empty(), c.warning(ANY));
        assertEquals(Optional.empty(), c.note(ANY));
        assertTrue(Files.exists(plainKey));
    }
}
