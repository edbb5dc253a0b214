package dev.cellar.server.monitor;

import dev.cellar.server.alert.AlertInputs;
import dev.cellar.server.alert.BackupSize;
import dev.cellar.server.alert.JobRun;
import dev.cellar.server.alert.RecoveryPoint;
import dev.cellar.server.alert.ScheduledSlot;
import dev.cellar.server.alert.StorageUsage;
import dev.cellar.server.alert.VerificationRun;
import dev.cellar.server.alert.Verifications;
import dev.cellar.server.alert.WalStatus;
import dev.cellar.server.run.JobLedger.RecordedRun;
import dev.cellar.server.run.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns one round's facts into the alert conditions' inputs. Pure. Copies behind are not observed
 * (left null): the catalog knows how many copies hold a backup, not which copy lacks it.
 */
public final class AlertInputsMapping {
    /** The job kind whose failures {@code VerificationCondition} judges, as a verification that failed. */
    static final String VERIFY_KIND = "verify";

    private AlertInputsMapping() {
    }

    public static AlertInputs of(ObservedFacts facts) {
        AlertInputs inputs = AlertInputs.at(facts.now());
        if (facts.jobRuns() != null) {
            inputs = inputs.withJobRuns(jobRuns(facts)).withSlots(slots(facts.jobRuns().recent()));
        }
        if (facts.backupLog() != null) {
            inputs = inputs.withBackupSizes(backupSizes(facts.backupLog().newest()))
                    .withRecoveryPoints(recoveryPoints(facts));
        }
        if (facts.backupLog() != null || facts.jobRuns() != null) {
            inputs = inputs.withVerifications(verifications(facts));
        }
        inputs = inputs.withWal(wal(facts));
        if (facts.storage() != null) {
            inputs = inputs.withStorage(facts.storage().stream().map(AlertInputsMapping::storage).toList());
        }
        return inputs;
    }

    static List<JobRun> jobRuns(ObservedFacts facts) {
        Map<String, Duration> timeouts = facts.jobs().stream().collect(Collectors.toMap(PlannedJob::key, PlannedJob::timeout, (a, b) -> a));
        List<JobRun> runs = new ArrayList<>();
        for (RecordedRun run : facts.jobRuns().recent()) {
            if (run.status() == RunStatus.SKIPPED) {
                continue; // not a run: the slot part says it was skipped
            }
            String[] jobAndVariant = jobAndVariant(run.kind());
            String error = run.status() == RunStatus.TIMED_OUT
                    ? "stopped after its time-out" + (run.error() == null ? "" : ": " + run.error()) : run.error();
            runs.add(new JobRun(jobAndVariant[0], run.database(), jobAndVariant[1], run.claimedAt(), run.finishedAt(), status(run.status()),
                    timeouts.get(run.jobKey()), error));
        }
        return runs;
    }

    /** {@code backup-full} is the job {@code backup} of variant {@code full}, so texts read "backup full of db"; other kinds stand alone. */
    static String[] jobAndVariant(String kind) {
        int dash = kind.indexOf('-');
        if (kind.startsWith("backup-") && dash > 0) {
            return new String[] {kind.substring(0, dash), kind.substring(dash + 1)};
        }
        return new String[] {kind, null};
    }

    private static JobRun.Status status(RunStatus status) {
        return switch (status) {
            case RUNNING -> JobRun.Status.RUNNING;
            case OK -> JobRun.Status.SUCCEEDED;
            case FAILED, TIMED_OUT, SKIPPED -> JobRun.Status.FAILED;
            case INTERRUPTED -> JobRun.Status.INTERRUPTED;
        };
    }

    /** First attempts only: a retry is the same slot again, not a new one. */
    static List<ScheduledSlot> slots(List<RecordedRun> runs) {
        return runs.stream().filter(r -> r.attempt() == 1).map(r -> {
            ScheduledSlot.Outcome outcome = r.status() == RunStatus.SKIPPED ? ScheduledSlot.Outcome.SKIPPED
                    : r.late() ? ScheduledSlot.Outcome.LATE : ScheduledSlot.Outcome.ON_TIME;
            return new ScheduledSlot(r.kind(), r.database(), r.scheduledFor(), outcome,
                    outcome == ScheduledSlot.Outcome.SKIPPED ? null : r.claimedAt());
        }).toList();
    }

    static List<BackupSize> backupSizes(List<LoggedBackup> backups) {
        return backups.stream().filter(b -> b.sizeBytes() != null && b.finishedAt() != null)
                .map(b -> new BackupSize(b.database(), b.comparableKind(), b.backupId(), b.finishedAt(), b.sizeBytes())).toList();
    }

    static List<RecoveryPoint> recoveryPoints(ObservedFacts facts) {
        return facts.databases().stream().map(db -> new RecoveryPoint(db.name(),
                RecoveryPoints.newest(db, facts.backupLog().newest(), facts.wal().get(db.server())).orElse(null), db.rpoObjective()))
                .toList();
    }

    /**
     * The checks recorded in {@code backup_log} (a repository-wide {@code verify} counts for every
     * database), and the verify job's runs that did not end well: a job that failed before the
     * check could record anything still says the check did not pass.
     */
    static Verifications verifications(ObservedFacts facts) {
        List<String> names = facts.databases().stream().map(WatchedDatabase::name).toList();
        List<VerificationRun> runs = new ArrayList<>();
        if (facts.backupLog() != null) {
            for (BackupLogFacts.Check check : facts.backupLog().checks()) {
                VerificationRun.Kind kind = check.restoreTest() ? VerificationRun.Kind.RESTORE_TEST : VerificationRun.Kind.VERIFY;
                // a verify reads the whole repository; a restore test is of one database (unknown: its backup's row is gone)
                List<String> about = !check.restoreTest() && check.database() == null ? names
                        : check.database() != null && names.contains(check.database()) ? List.of(check.database()) : List.of();
                about.forEach(db -> runs.add(new VerificationRun(db, kind, check.finishedAt(), check.passed(), check.error())));
            }
        }
        if (facts.jobRuns() != null) {
            for (RecordedRun run : facts.jobRuns().recent()) {
                if (VERIFY_KIND.equals(run.kind()) && run.database() != null && run.finishedAt() != null
                        && run.status() != RunStatus.OK && run.status() != RunStatus.SKIPPED) {
                    runs.add(new VerificationRun(run.database(), VerificationRun.Kind.VERIFY, run.finishedAt(), false,
                            "the verify job ended " + run.status().column() + (run.error() == null ? "" : ": " + run.error())));
                }
            }
        }
        boolean scheduled = facts.jobs().stream().anyMatch(j -> VERIFY_KIND.equals(j.kind()));
        Set<VerificationRun.Kind> expected = scheduled ? EnumSet.allOf(VerificationRun.Kind.class) : EnumSet.noneOf(VerificationRun.Kind.class);
        return new Verifications(names, expected, runs);
    }

    static List<WalStatus> wal(ObservedFacts facts) {
        return facts.wal().values().stream().filter(WalFacts::watched).map(w -> new WalStatus(w.server(),
                w.archiveModeOn() ? w.lastArchivedAt() : null,
                !w.archiveModeOn() ? Boolean.FALSE : w.readySegments() == null ? null : w.readySegments() > 0,
                w.failedCount(), facts.previousFailedCounts().get(w.server()), w.lastFailedAt(), w.lastFailedWal(), w.slotLagBytes()))
                .sorted(java.util.Comparator.comparing(WalStatus::server)).toList();
    }

    static StorageUsage storage(FolderUsage folder) {
        return new StorageUsage(folder.copy(), false, folder.usedBytes(), folder.totalBytes(), folder.usableBytes(), folder.samples());
    }
}
