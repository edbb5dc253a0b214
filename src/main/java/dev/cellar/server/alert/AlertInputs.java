package dev.cellar.server.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the conditions judge, as observed at {@code now}. A part left null was not observed
 * this time (its source could not be read): the conditions on it neither open nor resolve anything.
 * An empty list is an observation: nothing there.
 */
public record AlertInputs(Instant now, List<JobRun> jobRuns, List<BackupSize> backupSizes, List<WalStatus> wal,
        List<StorageUsage> storage, List<ScheduledSlot> slots, List<CopyState> copies, Verifications verifications,
        List<RecoveryPoint> recoveryPoints) {
    public AlertInputs {
        Objects.requireNonNull(now, "now");
    }

    /** Nothing observed yet at {@code now}; add parts with the {@code with...} methods. */
    public static AlertInputs at(Instant now) {
        return new AlertInputs(now, null, null, null, null, null, null, null, null);
    }

    public AlertInputs withJobRuns(List<JobRun> runs) {
        return new AlertInputs(now, List.copyOf(runs), backupSizes, wal, storage, slots, copies, verifications, recoveryPoints);
    }

    public AlertInputs withBackupSizes(List<BackupSize> sizes) {
        return new AlertInputs(now, jobRuns, List.copyOf(sizes), wal, storage, slots, copies, verifications, recoveryPoints);
    }

    public AlertInputs withWal(List<WalStatus> statuses) {
        return new AlertInputs(now, jobRuns, backupSizes, List.copyOf(statuses), storage, slots, copies, verifications, recoveryPoints);
    }

    public AlertInputs withStorage(List<StorageUsage> usage) {
        return new AlertInputs(now, jobRuns, backupSizes, wal, List.copyOf(usage), slots, copies, verifications, recoveryPoints);
    }

    public AlertInputs withSlots(List<ScheduledSlot> scheduled) {
        return new AlertInputs(now, jobRuns, backupSizes, wal, storage, List.copyOf(scheduled), copies, verifications, recoveryPoints);
    }

    public AlertInputs withCopies(List<CopyState> states) {
        return new AlertInputs(now, jobRuns, backupSizes, wal, storage, slots, List.copyOf(states), verifications, recoveryPoints);
    }

    public AlertInputs withVerifications(Verifications history) {
        return new AlertInputs(now, jobRuns, backupSizes, wal, storage, slots, copies, history, recoveryPoints);
    }

    public AlertInputs withRecoveryPoints(List<RecoveryPoint> points) {
        return new AlertInputs(now, jobRuns, backupSizes, wal, storage, slots, copies, verifications, List.copyOf(points));
    }
}
