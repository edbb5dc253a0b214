package dev.cellar.server.daemon;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.ScheduledJob;
import dev.cellar.server.schedule.StandardJobKinds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Tells the catalog which (database, backup type) pairs the schedules promise, so that
 * backup_monitoring shows a database whose first backup never happened as CRITICAL instead of
 * leaving it out.
 */
final class ExpectedBackups {
    private ExpectedBackups() {
    }

    static void record(JobPlan plan, DataSource catalog) {
        try (Connection c = catalog.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO cellar.expected_backup (database, backup_type) VALUES (?, ?)"
                     + " ON CONFLICT DO NOTHING")) {
            for (ScheduledJob job : plan.jobs()) {
                String type = job.kind().equals(StandardJobKinds.BACKUP_FULL.name()) ? "logical"
                        : job.kind().equals(StandardJobKinds.BACKUP_INCREMENTAL.name()) ? "physical" : null;
                if (type != null && job.database() != null && !job.schedule().expression().equals("off")) {
                    s.setString(1, job.database().connection().name());
                    s.setString(2, type);
                    s.addBatch();
                }
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot record the scheduled backups in the catalog: " + e.getMessage(),
                    "check that the catalog database is running", e);
        }
    }
}
