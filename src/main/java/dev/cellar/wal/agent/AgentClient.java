package dev.cellar.wal.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the spool's agent to do one request. Any trouble reaching it (no socket, nobody
 * listening, it died mid-request, it took too long) is answered "no agent", and the caller does
 * the work itself: every request is safe to repeat.
 */
public final class AgentClient {
    private final Path socket;
    private final Duration timeout;

    public AgentClient(WalSpool spool, Duration timeout) {
        this.socket = spool.socket();
        this.timeout = timeout;
    }

    /** The agent's reply, or empty when no agent answered. */
    public Optional<AgentReply> ask(AgentRequest request) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return Optional.empty();
        }
        CompletableFuture<String> exchange = CompletableFuture.supplyAsync(() -> exchange(channel, request), Thread::startVirtualThread);
        try {
            String line = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return line == null ? Optional.empty() : Optional.of(AgentReply.parse(line));
        } catch (TimeoutException | ExecutionException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }

    private String exchange(SocketChannel channel, AgentRequest request) {
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap((request.line() + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            return new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
