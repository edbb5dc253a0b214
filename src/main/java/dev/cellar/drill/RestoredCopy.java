package dev.cellar.drill;

import dev.cellar.drill.check.CheckResult;
import dev.cellar.drill.check.QueryTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One copy a drill restored and checked.
 *
 * @param name     logical, physical at restore point, physical latest
 * @param backupId the backup restored, or null when the restore failed before choosing one
 * @param target   what it was restored to (the backup's snapshot, a restore point, the end of the archived WAL)
 * @param started  when its restore began
 * @param rto      from its start to ready (checks passed), or to the failure
 * @param checks   every check's verdict
 * @param timings  the performance query set on it, when the checks provide one
 * @param failure  why it could not be restored or checked (the restore's own message), or null
 */
public record RestoredCopy(String name, String backupId, String target, Instant started, Duration rto, List<CheckResult> checks,
                           List<QueryTiming> timings, String failure) {
    public RestoredCopy {
        checks = List.copyOf(checks);
        timings = List.copyOf(timings);
    }

    public boolean ready() {
        return failure == null && checks.stream().noneMatch(CheckResult::failed);
    }
}
