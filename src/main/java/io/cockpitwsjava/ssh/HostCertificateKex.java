package io.cockpitwsjava.ssh;

import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.kex.DHGClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyExchange;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.session.Session;

/**
 * MINA's client key exchanges, with one change: a host certificate is not judged inside the key exchange but by the
 * gateway's host key check ({@link HostKeyCheck}, {@link KnownHosts}, {@link HostCertificateCheck}). MINA's own check
 * compares the certificate's principals with the address it connected to, which for the gateway is always a bare IP
 * address (names are resolved once, before the policy check), so a certificate for the host's name — the normal case —
 * would abort the connection. The key exchange itself (the server proving it holds the certified key) is unchanged.
 * Group-exchange methods, which MINA does not use with certificates, are kept as they are. sntrup761x25519-sha512 gets
 * its KEM key pair made ahead of time ({@link Sntrup761Keys}).
 */
final class HostCertificateKex {

    private HostCertificateKex() {
    }

    /** {@code factories} with each fixed-group (EC)DH method replaced by the same method without MINA's check. */
    static List<KeyExchangeFactory> of(List<KeyExchangeFactory> factories) {
        List<KeyExchangeFactory> out = new ArrayList<>(factories.size());
        for (KeyExchangeFactory f : factories) {
            BuiltinDHFactories dh = BuiltinDHFactories.fromFactoryName(f.getName());
            if (dh == null || dh.isGroupExchange()) {
                out.add(f);
            } else if (Sntrup761Keys.isSntrup761x25519(dh)) {
                Sntrup761Keys keys = Sntrup761Keys.shared();
                keys.start();
                out.add(factory(Sntrup761Keys.factory(dh, keys)));
            } else {
                out.add(factory(dh));
            }
        }
        return out;
    }

    private static KeyExchangeFactory factory(DHFactory dh) {
        return new KeyExchangeFactory() {
            @Override
            public String getName() {
                return dh.getName();
            }

            @Override
            public KeyExchange createKeyExchange(Session session) throws Exception {
                return new Exchange(dh, session);
            }

            @Override
            public String toString() {
                return NamedFactory.class.getSimpleName() + "[" + getName() + ", host certificates checked later]";
            }
        };
    }

    /** A fixed-group key exchange that leaves the certificate to the host key check. */
    private static final class Exchange extends DHGClient {
        Exchange(DHFactory factory, Session session) {
            super(factory, session);
        }

        @Override
        protected void verifyCertificate(Session session, OpenSshCertificate certificate) {
            // HostKeyCheck decides, with the names the login knows the host by (see the class comment)
        }
    }
}
