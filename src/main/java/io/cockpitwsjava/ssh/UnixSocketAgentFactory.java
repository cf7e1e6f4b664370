package io.cockpitwsjava.ssh;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * ssh-agent client over the JDK's Unix domain sockets ({@code SSH_AUTH_SOCK}), so MINA can use the keys of an agent
 * mounted into the container without native libraries. Client side only: no agent forwarding to targets.
 */
final class UnixSocketAgentFactory implements SshAgentFactory {
    /** Agent messages are small; anything larger is a broken agent. */
    private static final int MAX_REPLY = 256 * 1024;

    private final Path socket;

    UnixSocketAgentFactory(Path socket) {
        this.socket = socket;
    }

    @Override
    public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return List.of();
    }

    @Override
    public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new Proxy(ch);
    }

    @Override
    public SshAgentServer createServer(ConnectionService service) {
        throw new UnsupportedOperationException("agent forwarding is not offered");
    }

    /** One agent connection; requests are strictly request/response. */
    private static final class Proxy extends AbstractAgentProxy {
        private final SocketChannel channel;

        Proxy(SocketChannel channel) {
            super(null);
            this.channel = channel;
        }

        @Override
        protected synchronized Buffer request(Buffer buffer) throws IOException {
            channel.write(ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available()));
            ByteBuffer len = ByteBuffer.allocate(4);
            readFully(len);
            int n = len.flip().getInt();
            if (n <= 0 || n > MAX_REPLY) {
                throw new IOException("invalid ssh-agent reply length " + n);
            }
            ByteBuffer body = ByteBuffer.allocate(n);
            readFully(body);
            return new ByteArrayBuffer(body.array());
        }

        private void readFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) {
                    throw new IOException("ssh-agent closed the connection");
                }
            }
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
