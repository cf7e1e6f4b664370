package io.cockpitwsjava.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;

import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.jboss.logging.Logger;

/**
 * MINA's NIO2 transport with one change: before each read of the SSH socket the connection leaves Linux's delayed-ACK
 * ("ping-pong") mode ({@code TCP_QUICKACK}), so what the server sent is acknowledged as soon as the gateway reads it.
 *
 * <p>Why: OpenSSH's sshd sets {@code TCP_NODELAY} only for sessions with a terminal, so on a bridge's exec channel its
 * kernel holds a small packet while an earlier one is unacknowledged (Nagle's algorithm), and our kernel delays that
 * acknowledgement by up to 40 ms when it has nothing to send back. Right after authentication sshd sends two packets
 * back to back (its host keys, then the channel-open confirmation): measured here, the {@code exec} step of a login
 * (authenticated → channel open) took ≈ 48 ms without this and ≈ 7 ms with it (docs/PERFORMANCE.md, "Logins"). The flag
 * is not permanent — the kernel re-enters delayed-ACK mode by itself — hence once per read (one {@code setsockopt} per
 * read).
 *
 * <p>Where the option is unsupported (not Linux), reads proceed unchanged; that is logged once.
 */
final class QuickAckIo extends Nio2ServiceFactoryFactory {
    private static final Logger LOG = Logger.getLogger(QuickAckIo.class);
    private static final SocketOption<Boolean> QUICKACK = quickAckOption();
    private static volatile boolean unsupportedLogged;

    private static SocketOption<Boolean> quickAckOption() {
        try {
            return jdk.net.ExtendedSocketOptions.TCP_QUICKACK;
        } catch (LinkageError e) {
            return null; // a runtime without the jdk.net module
        }
    }

    @Override
    public IoServiceFactory create(FactoryManager manager) {
        return new Nio2ServiceFactory(manager, newExecutor(), newExecutor()) {
            @Override
            public Nio2Session createSession(Nio2Service service, IoHandler handler, AsynchronousSocketChannel socket,
                    SocketAddress address) throws Throwable {
                return new QuickAckSession(service, manager, handler, socket, address);
            }
        };
    }

    /** A session that asks for immediate acknowledgements before every read. */
    private static final class QuickAckSession extends Nio2Session {
        private boolean supported = QUICKACK != null;

        QuickAckSession(Nio2Service service, FactoryManager manager, IoHandler handler, AsynchronousSocketChannel socket,
                SocketAddress address) throws IOException {
            super(service, manager, handler, socket, address);
        }

        @Override
        protected void doReadCycle(ByteBuffer buffer, Nio2CompletionHandler<Integer, Object> completion) {
            if (supported) {
                try {
                    getSocket().setOption(QUICKACK, true);
                } catch (java.nio.channels.ClosedChannelException closing) {
                    // the read below fails and closes the session
                } catch (IOException | UnsupportedOperationException e) {
                    supported = false;
                    if (!unsupportedLogged) {
                        unsupportedLogged = true;
                        LOG.infof("TCP_QUICKACK is not available (%s): SSH reads use the kernel's delayed ACKs",
                                e.toString());
                    }
                }
            }
            super.doReadCycle(buffer, completion);
        }
    }
}
