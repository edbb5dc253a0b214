package dev.cellar.web.ui;

import dev.cellar.server.alert.AlertThresholds;
import dev.cellar.server.alert.SizeDeviationCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** The history's decisions, over plain data: each backup's size band, and the repository's growth day by day. */
public final class Histories {
    private Histories() {
    }

    /** A successful backup as the catalog logs it. */
    public record LoggedSize(String backupId, String kind, Instant startedAt, Long sizeBytes, Long storedBytes, Duration duration) {
    }

    /**
     * Each backup from {@code from} on, with the band the size-deviation alert would judge it by: the backups
     * before it of the same kind (those before {@code from} count too, so the window's first backups have one).
     *
     * @param oldestFirst the window's backups and, before them, at least the comparable count of each kind
     */
    public static List<History.BackupPoint> withBands(List<LoggedSize> oldestFirst, Instant from, AlertThresholds thresholds) {
        Map<String, List<Long>> sizesNewestLast = new HashMap<>();
        List<History.BackupPoint> points = new ArrayList<>();
        for (LoggedSize backup : oldestFirst) {
            List<Long> before = sizesNewestLast.computeIfAbsent(backup.kind(), k -> new ArrayList<>());
            if (!backup.startedAt().isBefore(from)) {
                long[] newestFirst = new long[Math.min(before.size(), thresholds.sizeComparableBackups())];
                for (int i = 0; i < newestFirst.length; i++) {
                    newestFirst[i] = before.get(before.size() - 1 - i);
                }
                SizeDeviationCondition.Band band = SizeDeviationCondition.baseline(newestFirst, thresholds).orElse(null);
                points.add(new History.BackupPoint(backup.backupId(), backup.kind(), backup.startedAt(), backup.sizeBytes(),
                        backup.storedBytes(), backup.duration(), band));
            }
            // a backup whose size the catalog never learnt is not in the alert's comparison either
            if (backup.sizeBytes() != null) {
                before.add(backup.sizeBytes());
            }
        }
        return points;
    }

    /**
     * The stored bytes of retained backups at the end of each day from {@code from} to {@code to}.
     *
     * @param added   stored bytes of the backups made each day
     * @param removed stored bytes of the backups expired each day
     */
    public static List<History.GrowthPoint> growth(NavigableMap<LocalDate, Long> added, NavigableMap<LocalDate, Long> removed,
            LocalDate from, LocalDate to) {
        long total = sum(added.headMap(from, false)) - sum(removed.headMap(from, false));
        List<History.GrowthPoint> points = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            total += added.getOrDefault(day, 0L) - removed.getOrDefault(day, 0L);
            points.add(new History.GrowthPoint(day, Math.max(0, total)));
        }
        return points;
    }

    private static long sum(Map<LocalDate, Long> perDay) {
        return perDay.values().stream().mapToLong(Long::longValue).sum();
    }
}
