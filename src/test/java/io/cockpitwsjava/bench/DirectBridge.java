package io.cockpitwsjava.bench;

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

import io.cockpitwsjava.protocol.Frame;
import io.cockpitwsjava.protocol.FrameDecoder;
import io.cockpitwsjava.protocol.ProtocolException;

/**
 * The floor under every gateway: no gateway at all. The driver's own MINA SSH client logs into a target with its
 * password, runs {@code cockpit-bridge} on an exec channel and speaks the bridge's framing itself (docs/protocol.md;
 * read with the gateway's {@link FrameDecoder}), so the very {@link Traffic} measurements that go
 * through a gateway measure only the client's SSH, the target's sshd and the bridge. The transport choices are our
 * gateway's: AES-GCM first, {@code TCP_NODELAY}; the host key must be the target's Ed25519 key.
 *
 * <p>Its messages reach a {@link BenchClient.Socket} as the WebSocket's would: control messages and echo data as
 * text, counted channels only counted, channel pings answered with pongs by the socket.
 */
final class DirectBridge implements AutoCloseable {
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
     * Reads the bridge's frames from {@code out} with the gateway's own {@link FrameDecoder} until it ends between two
     * frames: data of a channel that {@code socket} counts is counted, every other message is delivered as text.
     * Throws on a malformed frame or an end inside one.
     */
    static void relay(InputStream out, BenchClient.Socket socket) throws IOException {
        FrameDecoder decoder = new FrameDecoder();
        byte[] chunk = new byte[64 * 1024];
        try {
            for (int n; (n = out.read(chunk)) >= 0;) {
                long arrived = System.nanoTime();
                decoder.feed(chunk, 0, n, frame -> deliver(socket, frame, arrived));
            }
        } catch (ProtocolException e) {
            throw new IOException("bad frame from the bridge: " + e.getMessage(), e);
        }
        if (!decoder.atFrameBoundary()) {
            throw new EOFException("the bridge's output ended inside a frame");
        }
    }

    private static void deliver(BenchClient.Socket socket, Frame frame, long arrived) {
        LongAdder counter = frame.isControl() ? null : socket.counter(frame.channel());
        if (counter != null) {
            counter.add(frame.payload().length);
        } else {
            socket.deliver(frame.channel() + "\n" + new String(frame.payload(), StandardCharsets.UTF_8), arrived);
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
