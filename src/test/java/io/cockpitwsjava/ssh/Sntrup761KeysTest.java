package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.BuiltinKEM;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.junit.jupiter.api.Test;

/** The sntrup761 key pairs made ahead of time, and their KEM client against MINA's own server side. */
class Sntrup761KeysTest {

    @Test
    void thePoolFillsAndEveryKeyPairIsHandedOutOnce() throws Exception {
        Sntrup761Keys keys = new Sntrup761Keys(2);
        keys.start();
        long end = System.nanoTime() + 30_000_000_000L;
        while (keys.readyNow() < 2 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(2, keys.readyNow(), "the background thread filled the pool");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            KeyEncapsulationMethod.Client c = Sntrup761Keys.kem(keys).getClient();
            c.init();
            assertTrue(seen.add(HexFormat.of().formatHex(c.getPublicKey())), "key pair " + i + " was new");
        }
        assertTrue(keys.takenFromPool() >= 2, "the first two came from the pool: " + keys.takenFromPool());
        assertEquals(5, keys.takenFromPool() + keys.madeInline());
    }

    @Test
    void sharesTheSecretWithMinasServerSide() {
        Sntrup761Keys keys = new Sntrup761Keys(1); // not started: every key pair is made inline
        for (int i = 0; i < 3; i++) {
            KeyEncapsulationMethod.Client client = Sntrup761Keys.kem(keys).getClient();
            client.init();
            KeyEncapsulationMethod.Server server = BuiltinKEM.sntrup761.getServer();
            byte[] rest = server.init(client.getPublicKey());
            assertEquals(0, rest.length);
            assertEquals(server.getEncapsulation().length, client.getEncapsulationLength());
            assertArrayEquals(server.getSecret(), client.extractSecret(server.getEncapsulation()));
        }
        assertEquals(3, keys.madeInline());
    }

    @Test
    void aWrongEncapsulationLengthIsRefused() {
        KeyEncapsulationMethod.Client client = Sntrup761Keys.kem(new Sntrup761Keys(1)).getClient();
        client.init();
        assertThrows(IllegalArgumentException.class, () -> client.extractSecret(new byte[12]));
    }

    @Test
    void bothNamesOfTheMethodAndOnlyThoseAreReplaced() throws Exception {
        assertTrue(Sntrup761Keys.isSntrup761x25519(BuiltinDHFactories.sntrup761x25519));
        assertTrue(Sntrup761Keys.isSntrup761x25519(BuiltinDHFactories.sntrup761x25519_openssh));
        assertTrue(!Sntrup761Keys.isSntrup761x25519(BuiltinDHFactories.curve25519));
        var f = Sntrup761Keys.factory(BuiltinDHFactories.sntrup761x25519_openssh, new Sntrup761Keys(1));
        assertEquals("sntrup761x25519-sha512@openssh.com", f.getName());
        assertEquals(BuiltinDHFactories.sntrup761x25519.create().getHash().getAlgorithm(), f.create().getHash().getAlgorithm());
        assertThrows(IllegalArgumentException.class, () -> f.create("group"));
    }
}
