package io.tenantbackup.engine.mariadb;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Whether a server answers on a Unix socket: it sends its greeting (or an error packet, e.g. too many connections)
 * to a new connection only once it accepts connections, which mariadbd does after its init file ran. A socket file
 * that nothing listens on any more (a crashed run's) refuses the connection. Costs a connection, no process.
 */
final class ServerGreeting {

    private ServerGreeting() {
    }

    /**
     * Connects and waits up to {@code patience} for the server's first byte. False when nothing listens, the
     * server closes the connection (it is exiting) or says nothing in time.
     */
    static boolean arrives(Path socket, Duration patience) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            return selector.select(patience.toMillis()) > 0 && channel.read(ByteBuffer.allocate(1)) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
