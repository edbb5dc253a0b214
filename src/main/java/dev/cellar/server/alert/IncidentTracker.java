package dev.cellar.server.alert;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Applies an evaluation to the incidents in the catalog and writes the notifications it calls for
 * to the outbox, one per configured channel, in the same transaction as the change they announce:
 * a crash leaves either both or neither. Safe to run in several processes at once.
 */
public final class IncidentTracker {
    private final DataSource catalog;
    private final CatalogClock clock;
    private final IncidentPlanner planner;
    private final List<String> channels;
    private final IncidentStore store = new IncidentStore();
    private final Outbox outbox = new Outbox();

    /** @param channels the names of the channels each notification goes to (one outbox row each) */
    public IncidentTracker(DataSource catalog, CatalogClock clock, IncidentPlanner planner, List<String> channels) {
        this.catalog = catalog;
        this.clock = clock;
        this.planner = planner;
        this.channels = List.copyOf(channels);
    }

    /** What one evaluation changed: the keys opened, reminded of and resolved by this process. */
    public record TrackResult(List<String> opened, List<String> reminded, List<String> resolved) {
    }

    public TrackResult track(Evaluation evaluation) throws SQLException {
        List<String> opened = new ArrayList<>();
        List<String> reminded = new ArrayList<>();
        List<String> resolved = new ArrayList<>();
        try (Connection c = catalog.getConnection()) {
            c.setAutoCommit(false);
            try {
                Instant now = clock.now(c);
                List<IncidentAction> actions = planner.plan(store.open(c), evaluation, now);
                c.commit();
                for (IncidentAction action : actions) {
                    // one transaction per incident: one that fails to apply does not hold back the others' notices
                    Optional<Notice> notice = apply(c, action, now);
                    notice.ifPresent(n -> (switch (n.kind()) {
                        case OPENED -> opened;
                        case REMINDER -> reminded;
                        case RESOLVED -> resolved;
                    }).add(n.key()));
                    for (String channel : channels) {
                        if (notice.isPresent()) {
                            outbox.enqueue(c, channel, notice.get(), now);
                        }
                    }
                    c.commit();
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new TrackResult(opened, reminded, resolved);
    }

    private Optional<Notice> apply(Connection c, IncidentAction action, Instant now) throws SQLException {
        return switch (action) {
            case IncidentAction.Open open -> store.open(c, open.finding(), now);
            case IncidentAction.Remind remind -> store.remind(c, remind.incident(), remind.finding(),
                    planner.remindEvery().isZero() ? Instant.EPOCH : now.minus(planner.remindEvery()), now);
            case IncidentAction.Refresh refresh -> {
                store.refresh(c, refresh.incident(), refresh.finding());
                yield Optional.empty();
            }
            case IncidentAction.Resolve resolve -> store.resolve(c, resolve.incident(), now);
        };
    }
}
