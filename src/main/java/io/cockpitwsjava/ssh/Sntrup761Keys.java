package io.cockpitwsjava.ssh;

import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.digest.Digest;
import org.apache.sshd.common.kex.AbstractDH;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.MontgomeryCurve;
import org.apache.sshd.common.kex.XDH;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKEMExtractor;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKeyPairGenerator;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimePrivateKeyParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimePublicKeyParameters;
import org.jboss.logging.Logger;

/**
 * The client side of {@code sntrup761x25519-sha512} (what OpenSSH 9.0–9.8 servers prefer) with its sntrup761 key pair
 * made ahead of time. Bouncy Castle needs ≈ 36 ms of CPU for one key pair even when compiled (measured here; OpenSSH
 * does it in C in a fraction of that), and MINA makes it after the server's {@code KEXINIT} has arrived, so every
 * login waited for it. Here a background thread keeps {@link #POOL_SIZE} key pairs ready; a key exchange takes one
 * and the thread makes the next one while the login goes on over the network.
 *
 * <p>Each key pair is used for exactly one key exchange and then dropped, as an inline one would be: they are
 * ephemeral keys made a little earlier, not reused ones. A key exchange that finds the pool empty (a burst of logins)
 * makes its own, as MINA does. The X25519 half and everything else of the method are MINA's.
 */
final class Sntrup761Keys {
    private static final Logger LOG = Logger.getLogger(Sntrup761Keys.class);
    /** Key pairs kept ready: enough for two logins arriving together; each is ≈ 2.5 KiB. */
    static final int POOL_SIZE = 2;

    private static final Sntrup761Keys SHARED = new Sntrup761Keys(POOL_SIZE);

    private final BlockingQueue<AsymmetricCipherKeyPair> ready;
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean started = new AtomicBoolean();
    private final LongAdder taken = new LongAdder();
    private final LongAdder madeInline = new LongAdder();

    Sntrup761Keys(int poolSize) {
        this.ready = new ArrayBlockingQueue<>(poolSize);
    }

    static Sntrup761Keys shared() {
        return SHARED;
    }

    /** Starts the background thread that keeps the pool full (once; later calls do nothing). */
    void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(this::fill, "sntrup761-keys");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private void fill() {
        while (true) {
            try {
                ready.put(generate());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the key exchanges make their own then; try again later rather than spin
                LOG.warnf("cannot make sntrup761 key pairs ahead of time: %s", e.toString());
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** A fresh key pair, never handed out before: from the pool, or made now when it is empty. */
    AsymmetricCipherKeyPair take() {
        AsymmetricCipherKeyPair pair = ready.poll();
        if (pair != null) {
            taken.increment();
            return pair;
        }
        madeInline.increment();
        return generate();
    }

    AsymmetricCipherKeyPair generate() {
        SNTRUPrimeKeyPairGenerator gen = new SNTRUPrimeKeyPairGenerator();
        gen.init(new SNTRUPrimeKeyGenerationParameters(random, SNTRUPrimeParameters.sntrup761));
        return gen.generateKeyPair();
    }

    /** Key exchanges that found a key pair ready. */
    long takenFromPool() {
        return taken.sum();
    }

    /** Key exchanges that had to make theirs (the pool was empty). */
    long madeInline() {
        return madeInline.sum();
    }

    int readyNow() {
        return ready.size();
    }

    /** The KEM half for MINA's hybrid key exchange: its client takes the next key pair of {@code keys}. */
    static KeyEncapsulationMethod kem(Sntrup761Keys keys) {
        return new KeyEncapsulationMethod() {
            @Override
            public Client getClient() {
                return new PooledClient(keys);
            }

            @Override
            public Server getServer() {
                throw new UnsupportedOperationException("the gateway is only an SSH client");
            }
        };
    }

    /**
     * {@code factory} (one of MINA's two names for sntrup761x25519-sha512) with its KEM key pair taken from
     * {@code keys}; the X25519 half and the SHA-512 hash are MINA's.
     */
    static DHFactory factory(DHFactory factory, Sntrup761Keys keys) {
        KeyEncapsulationMethod kem = kem(keys);
        return new DHFactory() {
            @Override
            public String getName() {
                return factory.getName();
            }

            @Override
            public boolean isSupported() {
                return factory.isSupported();
            }

            @Override
            public boolean isGroupExchange() {
                return false;
            }

            @Override
            public AbstractDH create(Object... params) throws Exception {
                if (params != null && params.length > 0) {
                    throw new IllegalArgumentException("No accepted parameters for " + getName());
                }
                return new XDH(MontgomeryCurve.x25519, true) {
                    @Override
                    public KeyEncapsulationMethod getKeyEncapsulation() {
                        return kem;
                    }

                    @Override
                    public Digest getHash() throws Exception {
                        return BuiltinDigests.sha512.create();
                    }
                };
            }

            @Override
            public String toString() {
                return getName() + " (sntrup761 key pairs made ahead)";
            }
        };
    }

    /** Whether {@code dh} is sntrup761x25519-sha512 under either of its names. */
    static boolean isSntrup761x25519(DHFactory dh) {
        return dh == BuiltinDHFactories.sntrup761x25519 || dh == BuiltinDHFactories.sntrup761x25519_openssh;
    }

    /** One key exchange's KEM client: the same steps as MINA's, with the key pair taken from the pool. */
    private static final class PooledClient implements KeyEncapsulationMethod.Client {
        private final Sntrup761Keys keys;
        private SNTRUPrimeKEMExtractor extractor;
        private SNTRUPrimePublicKeyParameters publicKey;

        PooledClient(Sntrup761Keys keys) {
            this.keys = keys;
        }

        @Override
        public void init() {
            AsymmetricCipherKeyPair pair = keys.take();
            extractor = new SNTRUPrimeKEMExtractor((SNTRUPrimePrivateKeyParameters) pair.getPrivate());
            publicKey = (SNTRUPrimePublicKeyParameters) pair.getPublic();
        }

        @Override
        public byte[] getPublicKey() {
            return publicKey.getEncoded();
        }

        @Override
        public byte[] extractSecret(byte[] encapsulated) {
            if (encapsulated.length != extractor.getEncapsulationLength()) {
                throw new IllegalArgumentException("sntrup761 encapsulation has the wrong length: " + encapsulated.length);
            }
            return extractor.extractSecret(encapsulated);
        }

        @Override
        public int getEncapsulationLength() {
            return extractor.getEncapsulationLength();
        }
    }
}
