package io.cockpitwsjava.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The floor under every gateway: no gateway at all. The driver's own MINA SSH client logs into a target with its
 * password, runs {@code cockpit-bridge} on an exec channel and speaks the bridge's framing itself (a decimal length,
 * a newline, then {@code channel\npayload}; docs/protocol.md), so the very {@link Traffic} measurements that go
 * through a gateway measure only the client's SSH, the target's sshd and the bridge. The transport choices are our
 * gateway's: AES-GCM first, {@code TCP_NODELAY}; the host key must be the target's Ed25519 key.
 *
 * <p>Its messages reach a {@link BenchClient.Socket} as the WebSocket's would: control messages and echo data as
 * text, counted channels only counted, channel pings answered with pongs by the socket.
 */
final class DirectBridge implements AutoCloseable {
    /** The longest channel name accepted before the newline that ends it. */
    private static final int MAX_CHANNEL = 256;

    static {
        // the driver JVM has no logging configuration: without this MINA formats a hex dump of every packet (its
        // trace level is on), which made the floor's stream CPU-bound in the driver at ≈ 35 MB/s
        org.jboss.logmanager.LogContext.getSystemLogContext().getLogger("org.apache.sshd")
                .setLevel(java.util.logging.Level.INFO);
    }

    private final SshClient client;
    private final ClientSession session;
    private final ChannelExec channel;
    private final BenchClient.Socket socket;
    private final Thread reader;
    private final OutputStream stdin;

    private DirectBridge(SshClient client, ClientSession session, ChannelExec channel) {
        this.client = client;
        this.session = session;
        this.channel = channel;
        this.stdin = channel.getInvertedIn();
        this.socket = new BenchClient.Socket(new BenchClient.Socket.Link() {
            @Override
            public CompletionStage<?> sendText(String text) {
                try {
                    write(text.getBytes(StandardCharsets.UTF_8));
                    return CompletableFuture.completedFuture(null);
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public void abort() {
                channel.close(true);
            }
        }, "floor:");
        this.reader = new Thread(this::read, "floor-bridge-reader");
        reader.setDaemon(true);
    }

    /**
     * Logs into {@code t} as its user, starts {@code cockpit-bridge}, waits for the bridge's {@code init} and answers
     * it; fails on a wrong host key, a failed login or a bridge that does not start.
     */
    static DirectBridge open(Target t) throws IOException, InterruptedException {
        SshClient c = SshClient.setUpDefaultClient();
        List<NamedFactory<Cipher>> ciphers = new ArrayList<>(List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm));
        c.getCipherFactories().stream().filter(f -> !ciphers.contains(f)).forEach(ciphers::add);
        c.setCipherFactories(ciphers);
        List<NamedFactory<Signature>> signatures = new ArrayList<>(List.of(BuiltinSignatures.ed25519));
        c.getSignatureFactories().stream().filter(f -> !signatures.contains(f)).forEach(signatures::add);
        c.setSignatureFactories(signatures);
        CoreModuleProperties.TCP_NODELAY.set(c, true);
        String expected = t.sshd().hostPublicKeyLine("ed25519");
        c.setServerKeyVerifier((s, address, key) -> PublicKeyEntry.toString(key).equals(expected));
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        c.start();
        try {
            ClientSession s = c.connect(t.sshd().user(), "127.0.0.1", t.sshd().port()).verify(BenchClient.WAIT)
                    .getSession();
            s.addPasswordIdentity(t.sshd().password());
            s.auth().verify(BenchClient.WAIT);
            ChannelExec ch = s.createExecChannel("cockpit-bridge");
            ch.open().verify(BenchClient.WAIT);
            DirectBridge d = new DirectBridge(c, s, ch);
            d.reader.start();
            String init = d.socket.await(m -> m.startsWith("\n") && m.contains("\"init\""), BenchClient.WAIT);
            if (init.contains("\"problem\"")) {
                d.close();
                throw new IllegalStateException("the bridge's init has a problem: " + init.strip());
            }
            d.socket.send("\n{\"command\":\"init\",\"version\":1,\"host\":\"localhost\"}");
            return d;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.stop();
            throw e;
        }
    }

    /** The socket that Traffic's echo and stream run on. */
    BenchClient.Socket socket() {
        return socket;
    }

    /** Cipher and key exchange the SSH connection negotiated. */
    String negotiated() {
        return session.getNegotiatedKexParameter(KexProposalOption.C2SENC) + ", "
                + session.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS) + ", "
                + session.getNegotiatedKexParameter(KexProposalOption.SERVERKEYS);
    }

    /** One frame: length, newline, message; as one write so that it is one SSH packet. */
    private void write(byte[] message) throws IOException {
        byte[] prefix = (message.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(message, 0, frame, prefix.length, message.length);
        synchronized (stdin) {
            stdin.write(frame);
            stdin.flush();
        }
    }

    private void read() {
        try {
            relay(channel.getInvertedOut(), socket);
            socket.closedWith((short) 1000);
        } catch (IOException | RuntimeException e) {
            socket.closedWith((short) -1);
        }
    }

    /**
     * Reads the bridge's frames from {@code out} until it ends between two frames: data of a channel that
     * {@code socket} counts is counted (read in large pieces, not kept), every other message is delivered as text.
     * Throws on a malformed frame or an end inside one.
     */
    static void relay(InputStream out, BenchClient.Socket socket) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        InputStream in = new BufferedInputStream(out, 64 * 1024);
        while (true) {
            long length = readLength(in);
            if (length < 0) {
                return;
            }
            long arrived = System.nanoTime();
            String ch = readChannel(in, length);
            long rest = length - ch.length() - 1;
            LongAdder counter = ch.isEmpty() ? null : socket.counter(ch);
            if (counter != null) {
                // large pieces: InputStream's skip would copy in 2 KiB steps
                for (long left = rest; left > 0;) {
                    int n = in.read(scratch, 0, (int) Math.min(left, scratch.length));
                    if (n < 0) {
                        throw new EOFException("the bridge's output ended inside a frame");
                    }
                    left -= n;
                }
                counter.add(rest);
            } else {
                byte[] payload = in.readNBytes((int) rest);
                if (payload.length < rest) {
                    throw new EOFException("the bridge's output ended inside a frame");
                }
                socket.deliver(ch + "\n" + new String(payload, StandardCharsets.UTF_8), arrived);
            }
        }
    }

    /** The frame's length; -1 at the end of the stream between frames. */
    private static long readLength(InputStream in) throws IOException {
        long n = 0;
        int digits = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (digits == 0) {
                    return -1;
                }
                throw new EOFException("the bridge's output ended inside a frame length");
            }
            if (b == '\n' && digits > 0) {
                return n;
            }
            if (b < '0' || b > '9' || ++digits > 10) {
                throw new IOException("bad frame length from the bridge (byte " + b + ")");
            }
            n = n * 10 + (b - '0');
        }
    }

    /** The channel name up to its newline (ASCII), within a frame of {@code length}. */
    private static String readChannel(InputStream in, long length) throws IOException {
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the bridge's output ended inside a frame");
            }
            if (b == '\n') {
                return name.toString(StandardCharsets.US_ASCII);
            }
            name.write(b);
            if (name.size() >= Math.min(length, MAX_CHANNEL)) {
                throw new IOException("no channel name in a frame from the bridge");
            }
        }
    }

    /** Ends the bridge (end of its input), waits for it to exit and disconnects. */
    @Override
    public void close() {
        try {
            stdin.close();
            socket.awaitClosed(java.time.Duration.ofSeconds(20));
        } catch (IOException | RuntimeException e) {
            // the channel is closed below either way
        } finally {
            channel.close(true);
            session.close(true);
            client.stop();
        }
    }
}
