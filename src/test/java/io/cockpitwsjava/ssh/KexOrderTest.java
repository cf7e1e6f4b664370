package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.junit.jupiter.api.Test;

/** The key-exchange preference the gateway offers ({@link SshConnector#kexOrder}). */
class KexOrderTest {

    static List<String> names(List<? extends NamedResource> factories) {
        return factories.stream().map(NamedResource::getName).toList();
    }

    @Test
    void mlKemFirstThenSntrupThenCurve25519AsOpenSsh10() {
        List<KeyExchangeFactory> mina = SshClient.setUpDefaultClient().getKeyExchangeFactories();
        List<String> ordered = names(SshConnector.kexOrder(mina));
        assertEquals(List.of("mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
                "curve25519-sha256", "curve25519-sha256@libssh.org"), ordered.subList(0, 5),
                "MINA offered " + names(mina));
    }

    @Test
    void nothingAddedNothingLostAndTheRestKeepsMinasOrder() {
        List<KeyExchangeFactory> mina = SshClient.setUpDefaultClient().getKeyExchangeFactories();
        List<String> ordered = names(SshConnector.kexOrder(mina));
        assertEquals(names(mina).stream().sorted().toList(), ordered.stream().sorted().toList());
        List<String> rest = names(mina).stream().filter(n -> !SshConnector.KEX_FIRST.contains(n)).toList();
        assertEquals(rest, ordered.subList(ordered.size() - rest.size(), ordered.size()));
    }

    @Test
    void aListWithoutThePreferredOnesIsLeftAsItIs() {
        List<NamedResource> some = List.of(NamedResource.ofName("ecdh-sha2-nistp256"),
                NamedResource.ofName("curve25519-sha256"), NamedResource.ofName("diffie-hellman-group14-sha256"));
        assertEquals(List.of("curve25519-sha256", "ecdh-sha2-nistp256", "diffie-hellman-group14-sha256"),
                names(SshConnector.kexOrder(some)));
    }
}
