package dev.cellar.server.monitor;

import dev.cellar.config.ScheduledDatabase;
import java.time.Duration;
import java.util.Objects;

/**
 * What the observation needs of one protected database: its name, the PostgreSQL server it lives
 * on (WAL archiving is a server's, shared by its databases), whether physical backups are
 * configured for it, and its recovery point objective.
 *
 * @param server {@code host:port}, the key of the server's WAL facts
 */
public record WatchedDatabase(String name, String server, boolean physical, Duration rpoObjective) {
    public WatchedDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(rpoObjective, "rpoObjective");
    }

    public static WatchedDatabase of(ScheduledDatabase database) {
        return new WatchedDatabase(database.name(), serverOf(database), database.physical(),
                Duration.ofSeconds(database.rpoObjectiveSeconds()));
    }

    static String serverOf(ScheduledDatabase database) {
        return database.connection().host() + ":" + database.connection().port();
    }
}
