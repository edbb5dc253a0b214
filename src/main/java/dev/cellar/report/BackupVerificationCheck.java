package dev.cellar.report;

import dev.cellar.drill.DrillSummary;
import dev.cellar.repo.AuditRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Backups verified": every backup that finished in the period was proven readable afterwards
 * by a record of its own: an ok {@code verify} of all backups or naming it, an ok
 * {@code verify.restore-test} of it, or a passed drill that restored it. A backup the audit trail
 * says finished that is neither in the repository nor expired by Cellar fails on its own.
 */
final class BackupVerificationCheck {
    static final String NAME = "backups verified";
    private static final String VERIFY = "verify";
    private static final String RESTORE_TEST = "verify.restore-test";
    private static final String BACKUP_PREFIX = "backup.";
    private static final String EXPIRE = "expire";
    // how Expire words its plan and its outcome: "delete 2 backups (a, b)", "deleted 2 backups (a, b)"
    private static final Pattern EXPIRED_IDS = Pattern.compile("\\bdelete(?:d)? \\d+ backups \\(([^)]*)\\)");
    private static final Pattern BACKUP_ID = Pattern.compile("[0-9A-Za-z_.-]+");

    private BackupVerificationCheck() {
    }

    /**
     * @param database the database the report is about, or null for every database
     * @param backups  the backups the repository holds (their manifests)
     * @param trail    the whole audit trail
     * @param drills   the stored drill summaries
     */
    static ReportCheck evaluate(ReportPeriod period, String database, List<BackupFact> backups, List<AuditRecord> trail,
                                List<DrillSummary> drills) {
        Map<String, AuditRecord> finished = new LinkedHashMap<>();
        Set<String> expired = new TreeSet<>();
        for (AuditRecord record : trail) {
            if (record.operation().startsWith(BACKUP_PREFIX) && AuditRecord.OK.equals(record.result())
                    && BACKUP_ID.matcher(record.detail()).matches()) {
                finished.put(record.detail(), record);
            } else if (EXPIRE.equals(record.operation()) && !record.detail().startsWith("dry run")
                    && (AuditRecord.OK.equals(record.result()) || AuditRecord.STARTED.equals(record.result()))) {
                Matcher ids = EXPIRED_IDS.matcher(record.detail());
                if (ids.find()) {
                    Arrays.stream(ids.group(1).split(",")).map(String::strip).filter(id -> !id.isEmpty()).forEach(expired::add);
                }
            }
        }
        List<ReportFinding> failures = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        Set<String> present = new TreeSet<>();
        int inPeriod = 0;
        for (BackupFact backup : backups) {
            present.add(backup.id());
            if (!period.contains(backup.finishedAt()) || !backup.holds(database)) {
                continue;
            }
            inPeriod++;
            AuditRecord finish = finished.get(backup.id());
            long finishSequence = finish == null ? backup.auditSequence() : finish.sequence();
            String finishCited = "audit record #" + finishSequence + " (" + (finish == null ? "opened" : "finished") + " " + backup.id() + ")";
            Optional<String> cover = coverOf(backup, finishSequence, trail, drills);
            if (cover.isPresent()) {
                evidence.add(backup.id() + " (" + backup.kind() + ", finished " + backup.finishedAt() + ", " + finishCited + "): " + cover.get());
            } else {
                failures.add(new ReportFinding(backup.id(), "backup " + backup.id() + " (" + backup.kind() + ", finished "
                        + backup.finishedAt() + ") was never verified afterwards: no ok verify naming it or all backups, "
                        + "no ok restore test of it, no passed drill that restored it", List.of(finishCited)));
            }
        }
        for (Map.Entry<String, AuditRecord> entry : finished.entrySet()) {
            AuditRecord record = entry.getValue();
            if (period.contains(record.time()) && !present.contains(entry.getKey()) && !expired.contains(entry.getKey())
                    && (database == null || targets(record, database))) {
                inPeriod++;
                failures.add(new ReportFinding(entry.getKey(), "the audit trail says backup " + entry.getKey() + " finished, but it is "
                        + "neither in the repository nor expired by Cellar", List.of("audit record #" + record.sequence())));
            }
        }
        String summary = inPeriod == 0 ? "no backup finished in " + period.label()
                : (inPeriod - failures.size()) + " of " + inPeriod + " backups finished in " + period.label() + " verified afterwards";
        return ReportCheck.judged(NAME, summary, failures, evidence);
    }

    private static Optional<String> coverOf(BackupFact backup, long finishSequence, List<AuditRecord> trail, List<DrillSummary> drills) {
        for (AuditRecord record : trail) {
            if (record.sequence() <= finishSequence || !AuditRecord.OK.equals(record.result())) {
                continue;
            }
            if (VERIFY.equals(record.operation()) && namesBackup(record.target(), backup.id())) {
                return Optional.of("verify, audit record #" + record.sequence() + " (target " + record.target() + ")");
            }
            if (RESTORE_TEST.equals(record.operation()) && backup.id().equals(record.target())) {
                return Optional.of("restore test, audit record #" + record.sequence());
            }
        }
        for (DrillSummary drill : drills) {
            if (drill.passed() && drill.backupIds() != null && drill.backupIds().contains(backup.id())
                    && drill.started() != null && drill.started().isAfter(backup.finishedAt())) {
                return Optional.of("restored by passed drill " + drill.id());
            }
        }
        return Optional.empty();
    }

    private static boolean namesBackup(String target, String id) {
        return "all".equals(target) || Arrays.stream(target.split(",")).map(String::strip).anyMatch(id::equals);
    }

    private static boolean targets(AuditRecord record, String database) {
        String target = record.target() == null ? "" : record.target();
        return target.equals(database) || target.endsWith("/" + database);
    }
}
