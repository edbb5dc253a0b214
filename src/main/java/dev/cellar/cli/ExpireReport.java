package dev.cellar.cli;

import dev.cellar.expire.ExpireResult;
import dev.cellar.expire.RetentionPlan;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The human rendering of an expiry plan and its outcome: a table of backups, WAL ranges, warnings, bytes. */
final class ExpireReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    private ExpireReport() {
    }

    static String text(ExpireResult result) {
        RetentionPlan plan = result.plan();
        StringBuilder text = new StringBuilder();
        result.staleLocksBroken().forEach(l -> text.append("removed stale lock of ").append(l.holder()).append(" ('")
                .append(l.operation()).append("' since ").append(l.startedAt()).append(")\n"));
        text.append(String.format(Locale.ROOT, "retention at %s: backups kept %d days (finished after %s), "
                        + "point-in-time window %d days (from %s)%n%n",
                time(plan.now()), plan.fullDays(), time(plan.fullCutoff()), plan.walDays(), time(plan.windowStart())));
        backups(plan, text);
        wal(plan, text);
        for (String warning : plan.warnings()) {
            text.append("warning: ").append(warning).append('\n');
        }
        if (!plan.warnings().isEmpty()) {
            text.append('\n');
        }
        outcome(result, text);
        locks(result, text);
        return text.toString();
    }

    /** What WORM retention kept: backups the plan kept for their lock, and deletes the storage refused. */
    private static void locks(ExpireResult result, StringBuilder text) {
        List<RetentionPlan.BackupDecision> locked = result.keptLocked();
        if (!locked.isEmpty()) {
            Instant last = locked.stream().map(RetentionPlan.BackupDecision::lockedUntil).max(Comparator.naturalOrder()).orElseThrow();
            text.append(String.format(Locale.ROOT, "%d %s under WORM retention (until %s at the latest): kept, not deleted%n",
                    locked.size(), locked.size() == 1 ? "backup is" : "backups are", time(last)));
        }
        if (!result.locked().none()) {
            text.append(result.locked().describe()).append(" (the storage refused to delete them; a later run removes them)\n");
        }
        if (result.walDeferred()) {
            text.append("no WAL was deleted this run: a backup planned for deletion is still locked; the next run plans again\n");
        }
    }

    private static void backups(RetentionPlan plan, StringBuilder text) {
        if (plan.keep().isEmpty() && plan.delete().isEmpty()) {
            text.append("no backups in the repository\n\n");
            return;
        }
        record Row(String action, RetentionPlan.BackupDecision backup) {
        }
        List<Row> rows = new ArrayList<>();
        plan.delete().forEach(b -> rows.add(new Row("DELETE", b)));
        plan.keep().forEach(b -> rows.add(new Row("KEEP", b)));
        rows.sort(Comparator.comparing((Row r) -> r.backup().finishedAt()).thenComparing(r -> r.backup().id()));
        String format = "%-6s  %-28s  %-13s  %-17s  %s%n";
        text.append(String.format(Locale.ROOT, format, "ACTION", "ID", "KIND", "FINISHED", "REASON"));
        for (Row row : rows) {
            RetentionPlan.BackupDecision b = row.backup();
            String kind = b.type() == null ? b.kind() : b.kind() + "/" + b.type();
            text.append(String.format(Locale.ROOT, format, row.action(), b.id(), kind, time(b.finishedAt()), b.reason()));
        }
        text.append('\n');
    }

    private static void wal(RetentionPlan plan, StringBuilder text) {
        if (plan.walKept().isEmpty() && plan.walDeleted().isEmpty() && plan.historyKept().isEmpty()) {
            return;
        }
        text.append("WAL\n");
        for (RetentionPlan.WalRange range : plan.walDeleted()) {
            text.append(range(range, "delete"));
        }
        for (RetentionPlan.WalRange range : plan.walKept()) {
            text.append(range(range, "keep  "));
        }
        if (!plan.historyKept().isEmpty()) {
            text.append("  history files kept: ").append(String.join(", ", plan.historyKept())).append('\n');
        }
        if (plan.recoverableFrom() != null) {
            text.append("  point-in-time recovery reaches back to ").append(time(plan.recoverableFrom()))
                    .append(" (window anchor ").append(plan.anchorId()).append(")\n");
        }
        text.append('\n');
    }

    private static String range(RetentionPlan.WalRange range, String action) {
        return String.format(Locale.ROOT, "  timeline %d: %s %s .. %s (%d %s)%n", range.timeline(), action, range.first(), range.last(),
                range.files(), range.files() == 1 ? "file" : "files");
    }

    private static void outcome(ExpireResult result, StringBuilder text) {
        RetentionPlan plan = result.plan();
        if (plan.deletesNothing()) {
            text.append("nothing to expire");
            if (!result.dryRun() && result.chunksDeleted() > 0) {
                text.append("; gc removed ").append(result.chunksDeleted()).append(" unreferenced chunks (")
                        .append(Output.bytes(result.deleteMarkersOnly() ? result.bytesMadeNoncurrent() : result.chunkBytesFreed()))
                        .append(result.deleteMarkersOnly() ? ", as delete markers: nothing freed yet" : "").append(")");
            }
            text.append('\n');
            versionedNote(result, text);
            return;
        }
        if (result.dryRun()) {
            text.append(String.format(Locale.ROOT, "dry run: would delete %d backups and %d WAL files, and gc %d chunks only they use: "
                            + "about %s%s; nothing was deleted%n", plan.delete().size(), plan.walToDelete().size(), plan.chunksToFree(),
                    Output.bytes(plan.bytesToFree()), result.deleteMarkersOnly() ? " that would become noncurrent (not freed)" : ""));
        } else if (result.deleteMarkersOnly()) {
            text.append(String.format(Locale.ROOT, "deleted %d backups, %d WAL files and %d chunks as %d delete markers: %s now noncurrent,"
                            + " freed 0 B%n", result.backupsDeleted().size(), result.walFilesDeleted(), result.chunksDeleted(),
                    result.deleteMarkers(), Output.bytes(result.bytesMadeNoncurrent())));
        } else {
            text.append(String.format(Locale.ROOT, "deleted %d backups, %d WAL files (%s) and %d chunks (%s): freed %s%n",
                    result.backupsDeleted().size(), result.walFilesDeleted(), Output.bytes(result.walBytesFreed()),
                    result.chunksDeleted(), Output.bytes(result.chunkBytesFreed()), Output.bytes(result.bytesFreed())));
        }
        versionedNote(result, text);
    }

    /** On a versioned bucket a delete frees nothing: say where the space comes back from. */
    private static void versionedNote(ExpireResult result, StringBuilder text) {
        if (result.deleteMarkersOnly() && (result.dryRun() ? !result.plan().deletesNothing() : result.deleteMarkers() > 0)) {
            text.append(VERSIONED_BUCKET_NOTE).append('\n');
        }
    }

    /** Shared with gc's report. */
    static final String VERSIONED_BUCKET_NOTE = "the bucket is versioned: a delete only writes a delete marker, and the old versions stay"
            + " stored (and billed) until a NoncurrentVersionExpiration lifecycle rule removes them (locked versions only once their"
            + " lock ends); see docs/lifecycle.md";

    private static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }
}
