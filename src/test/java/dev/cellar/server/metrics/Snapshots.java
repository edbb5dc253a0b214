package dev.cellar.server.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Snapshots for the metrics tests: one with every figure Cellar can export set, with known values. */
public final class Snapshots {
    public static final String DATABASE = "restaurant_ordering";
    public static final String OTHER_DATABASE = "payroll";
    public static final String LOCAL = "local";
    public static final String CLOUD = "cloud";

    private Snapshots() {
    }

    /**
     * Every figure set, taken at {@code now}: the newest recoverable point 90 s ago, the newest WAL
     * 30 s ago, a daily backup 2 h ago that took 75 s, the cloud copy 2 backups and 7 WAL files behind.
     */
    public static MonitoringSnapshot complete(Instant now) {
        return new MonitoringSnapshot(now, new MonitoringSnapshot.Scheduler(Optional.of(now.minusSeconds(5)), 1),
                List.of(job(now, DATABASE), job(now, OTHER_DATABASE)),
                List.of(database(now, DATABASE), database(now, OTHER_DATABASE)),
                List.of(new MonitoringSnapshot.Repository(LOCAL, 5_000_000_000L, OptionalLong.of(80_000_000_000L), OptionalLong.of(0), OptionalLong.of(0)),
                        new MonitoringSnapshot.Repository(CLOUD, 4_900_000_000L, OptionalLong.empty(), OptionalLong.of(2), OptionalLong.of(7))));
    }

    /** {@link #complete} without {@link #OTHER_DATABASE}: a database removed from the configuration. */
    public static MonitoringSnapshot withoutOtherDatabase(Instant now) {
        MonitoringSnapshot all = complete(now);
        return new MonitoringSnapshot(now, all.scheduler(),
                all.jobs().stream().filter(j -> !j.database().equals(OTHER_DATABASE)).toList(),
                all.databases().stream().filter(d -> !d.database().equals(OTHER_DATABASE)).toList(), all.repositories());
    }

    static MonitoringSnapshot.Job job(Instant now, String database) {
        return new MonitoringSnapshot.Job("backup-full", database, Optional.of(now.minus(Duration.ofHours(2))),
                Optional.of(Duration.ofHours(25)), Optional.of(Duration.ofSeconds(75)), Map.of("ok", 41L, "failed", 2L));
    }

    static MonitoringSnapshot.Database database(Instant now, String database) {
        return new MonitoringSnapshot.Database(database,
                List.of(new MonitoringSnapshot.Backup("logical", 2_000_000_000L, 150_000_000L),
                        new MonitoringSnapshot.Backup("physical", 6_000_000_000L, 400_000_000L)),
                OptionalDouble.of(11.5), Optional.of(now.minusSeconds(90)), Duration.ofMinutes(15),
                Optional.of(now.minusSeconds(30)), Optional.of(now.minus(Duration.ofDays(3))));
    }
}
