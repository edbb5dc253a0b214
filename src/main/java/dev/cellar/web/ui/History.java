package dev.cellar.web.ui;

import dev.cellar.server.alert.SizeDeviationCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A database's history over a window: what the history charts draw and {@code GET /api/catalog/history} returns.
 *
 * @param backups oldest first, each with the size band the size-deviation alert judged it by
 * @param growth  the repository (all databases) per day: stored bytes of the backups it retained that day
 * @param checks  verifications and restore tests, oldest first
 */
public record History(String database, int days, Instant from, Instant to, List<BackupPoint> backups, List<GrowthPoint> growth,
        List<CheckPoint> checks) {
    public History {
        backups = List.copyOf(backups);
        growth = List.copyOf(growth);
        checks = List.copyOf(checks);
    }

    /**
     * @param kind     logical, physical-full or physical-incremental: what the alert compares with what
     * @param band     null when too few comparable backups came before it
     * @param duration null when the catalog does not know it
     */
    public record BackupPoint(String backupId, String kind, Instant startedAt, Long sizeBytes, Long storedBytes, Duration duration,
            SizeDeviationCondition.Band band) {
        /** Whether the size-deviation alert fired (or would have) for this backup. */
        public boolean outsideBand() {
            return band != null && sizeBytes != null && !band.contains(sizeBytes);
        }
    }

    public record GrowthPoint(LocalDate day, long storedBytes) {
    }

    /** @param check {@code verify} (the repository) or {@code restore-test} (a backup of this database) */
    public record CheckPoint(Instant at, String check, boolean passed, String error) {
    }
}
