package dev.cellar.report;

import dev.cellar.wal.WalInventory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * "WAL continuity": from the first WAL file the period's oldest physical backup needs to the
 * newest archived file, no segment missing, so any point since that backup can be recovered.
 */
final class WalContinuityCheck {
    static final String NAME = "WAL continuity";

    private WalContinuityCheck() {
    }

    /** @param backupsInPeriod the period's backups (only the physical ones count) */
    static ReportCheck evaluate(ReportPeriod period, List<BackupFact> backupsInPeriod, WalInventory inventory) {
        Optional<BackupFact> oldest = backupsInPeriod.stream().filter(BackupFact::physical).min(Comparator.comparing(BackupFact::finishedAt));
        if (oldest.isEmpty()) {
            return ReportCheck.notApplicable(NAME, "no physical backup finished in " + period.label() + ": there is no WAL chain to check");
        }
        String from = oldest.get().startWal();
        List<ReportFinding> failures = new ArrayList<>();
        // WAL names are fixed-width hex (timeline, log, segment): they sort in the order they were written
        for (WalInventory.Gap gap : inventory.gaps()) {
            if (gap.last().compareTo(from) >= 0) {
                failures.add(new ReportFinding(gap.first(), gap.count() + " WAL file(s) missing: " + gap.first()
                        + (gap.count() > 1 ? " to " + gap.last() : ""), List.of(gap.first(), gap.last())));
            }
        }
        String earliest = inventory.timelines().stream().map(WalInventory.TimelineRange::first).filter(Objects::nonNull)
                .min(String::compareTo).orElse(null);
        if (earliest != null && earliest.compareTo(from) > 0) {
            failures.add(new ReportFinding(from, "the archive begins at " + earliest + ", after " + from + " which backup "
                    + oldest.get().id() + " needs", List.of(from, earliest)));
        }
        String newest = inventory.timelines().stream().map(WalInventory.TimelineRange::last).filter(Objects::nonNull).max(String::compareTo).orElse("none");
        List<String> evidence = List.of("from " + from + " (start of backup " + oldest.get().id() + ") to the newest archived file "
                + newest + ", " + inventory.segmentCount() + " segments archived");
        if (newest.equals("none")) {
            failures.add(new ReportFinding(from, "no WAL file is archived at all, though backup " + oldest.get().id() + " needs " + from, List.of(from)));
        }
        return ReportCheck.judged(NAME, failures.isEmpty() ? "no gap from " + from + " to " + newest : failures.size() + " gap(s) in the WAL archive",
                failures, evidence);
    }
}
