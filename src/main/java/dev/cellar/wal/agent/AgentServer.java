package dev.cellar.wal.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * The agent's Unix-domain socket: one request line in, one reply line out, then the connection
 * closes. Each connection is served on its own virtual thread, since a push request may wait for
 * a shipment under way. The socket file is made readable by its owner only; the spool folder is
 * private too.
 */
final class AgentServer implements AutoCloseable {
    private static final int MAX_LINE = 8192;

    private final Path socket;
    private final Function<AgentRequest, AgentReply> handler;
    private final AgentLog log;
    private ServerSocketChannel channel;
    private Thread acceptor;

    AgentServer(Path socket, Function<AgentRequest, AgentReply> handler, AgentLog log) {
        this.socket = socket;
        this.handler = handler;
        this.log = log;
    }

    void start() throws IOException {
        // a socket file left by a killed agent; the agent lock says no live agent owns it
        Files.deleteIfExists(socket);
        channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        acceptor = Thread.ofPlatform().name("wal-agent-socket").daemon().start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            try {
                SocketChannel connection = channel.accept();
                Thread.ofVirtual().name("wal-agent-request").start(() -> serve(connection));
            } catch (IOException e) {
                if (channel.isOpen()) {
                    log.error("socket accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(connection), StandardCharsets.UTF_8), MAX_LINE);
            String line = in.readLine();
            AgentReply reply;
            try {
                reply = handler.apply(AgentRequest.parse(line));
            } catch (IllegalArgumentException e) {
                reply = AgentReply.error(dev.cellar.error.ErrorCode.USAGE, "bad request: " + e.getMessage());
            }
            OutputStream out = Channels.newOutputStream(connection);
            out.write((reply.line() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // the client went away (killed archive_command): the work it asked for is done or harmless
        }
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.error("cannot remove socket " + socket + ": " + e.getMessage());
        }
        if (acceptor != null) {
            acceptor.interrupt();
        }
    }
}
