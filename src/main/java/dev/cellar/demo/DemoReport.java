package dev.cellar.demo;

import dev.cellar.server.catalog.StatusReport;
import java.time.Duration;
import java.util.List;

/**
 * The figures of one demo run, step by step.
 *
 * @param steps  what happened, in order, with whether each step held
 * @param status what {@code cellar status} says of the demo database at the end
 */
public record DemoReport(
        String workDir,
        long databaseBytes,
        long totalRows,
        long firstBackupBytes,
        long firstBackupStored,
        Duration firstBackupTime,
        long churnedRows,
        double secondBackupNewRatio,
        long secondBackupStored,
        String disaster,
        Duration restoreTime,
        boolean dataIdenticalAfterRestore,
        boolean repositoryVerified,
        boolean restoreTestPassed,
        List<Step> steps,
        StatusReport status) {

    /** One line of the demo's story. */
    public record Step(String name, boolean ok, String detail) {
    }

    public boolean ok() {
        return dataIdenticalAfterRestore && repositoryVerified && restoreTestPassed && steps.stream().allMatch(Step::ok);
    }
}
