package dev.cellar.server.alert;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sends what is due in the outbox, channel by channel, oldest first. A notification is locked
 * while it is sent and marked delivered in the same transaction, so two processes never send it
 * twice; a failure puts it back with a later attempt time and stops that channel for this round,
 * so nothing overtakes it. (A process killed between the receiver's acceptance and the commit
 * sends it again later: receivers can drop the repeat by its notification id.)
 */
public final class OutboxDelivery {
    /** Bounds one round's work, so one call returns even with a large backlog. */
    static final int MAX_PER_CHANNEL_AND_ROUND = 200;

    private final DataSource catalog;
    private final CatalogClock clock;
    private final List<AlertChannel> channels;
    private final RetryBackoff backoff;
    private final Outbox outbox = new Outbox();

    public OutboxDelivery(DataSource catalog, CatalogClock clock, List<AlertChannel> channels, RetryBackoff backoff) {
        this.catalog = catalog;
        this.clock = clock;
        this.channels = List.copyOf(channels);
        this.backoff = backoff;
    }

    /** What one round did. */
    public record DeliveryReport(int delivered, int failed, List<String> errors) {
    }

    public DeliveryReport deliverDue() throws SQLException {
        int delivered = 0;
        List<String> errors = new ArrayList<>();
        try (Connection c = catalog.getConnection()) {
            c.setAutoCommit(false);
            for (AlertChannel channel : channels) {
                for (int i = 0; i < MAX_PER_CHANNEL_AND_ROUND; i++) {
                    Optional<String> error;
                    try {
                        Instant now = clock.now(c);
                        Optional<Outbox.Pending> pending = outbox.claimHead(c, channel.name(), now);
                        if (pending.isEmpty()) {
                            c.commit();
                            break;
                        }
                        error = send(channel, pending.get());
                        if (error.isEmpty()) {
                            outbox.delivered(c, pending.get(), now);
                        } else {
                            outbox.failed(c, pending.get(), now.plus(backoff.after(pending.get().attempts() + 1)), error.get());
                        }
                        c.commit();
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    }
                    if (error.isPresent()) {
                        errors.add(channel.name() + ": " + error.get());
                        break;
                    }
                    delivered++;
                }
            }
        }
        return new DeliveryReport(delivered, errors.size(), errors);
    }

    private static Optional<String> send(AlertChannel channel, Outbox.Pending pending) {
        try {
            channel.send(pending.id(), NoticeJson.read(pending.payload()));
            return Optional.empty();
        } catch (ChannelException e) {
            return Optional.of(e.getMessage());
        } catch (RuntimeException e) {
            // a bug in one channel must not stop the others; the row keeps the error for the dashboard
            return Optional.of(e.toString());
        }
    }
}
