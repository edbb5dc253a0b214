package dev.cellar.server.monitor;

import dev.cellar.server.run.JobLedger;
import dev.cellar.server.run.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads what the observation needs of {@code cellar.job_run}: the only SQL on that table in this package. */
final class JobRunReader {
    /** Runs kept per job: enough for a streak of failures to be counted and the newest slot seen, however long the history. */
    static final int RECENT_PER_JOB = 20;

    private static final String RECENT = """
            SELECT id, job_key, job_kind, database_name, scheduled_for, attempt, node, status, late, missed_slots, claimed_at,
                   finished_at, error
              FROM (SELECT *, row_number() OVER (PARTITION BY job_key ORDER BY scheduled_for DESC, attempt DESC) AS nth
                      FROM cellar.job_run) r
             WHERE nth <= ?
             ORDER BY scheduled_for, job_key, attempt""";
    private static final String COUNTS = """
            SELECT job_kind, database_name, status, count(*), max(finished_at) FILTER (WHERE status = 'ok')
              FROM cellar.job_run WHERE status <> 'running'
             GROUP BY job_kind, database_name, status""";
    private static final String LAST_FINISHED = """
            SELECT DISTINCT ON (job_kind, database_name) job_kind, database_name, extract(epoch FROM finished_at - claimed_at) * 1000
              FROM cellar.job_run WHERE finished_at IS NOT NULL AND status <> 'skipped'
             ORDER BY job_kind, database_name, finished_at DESC""";

    private final DataSource catalog;

    JobRunReader(DataSource catalog) {
        this.catalog = catalog;
    }

    JobRunFacts read() throws SQLException {
        try (Connection c = catalog.getConnection()) {
            return new JobRunFacts(recent(c), totals(c));
        }
    }

    private static List<JobLedger.RecordedRun> recent(Connection c) throws SQLException {
        List<JobLedger.RecordedRun> runs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(RECENT)) {
            s.setInt(1, RECENT_PER_JOB);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    runs.add(new JobLedger.RecordedRun(r.getLong("id"), r.getString("job_key"), r.getString("job_kind"),
                            r.getString("database_name"), instant(r, "scheduled_for"), r.getInt("attempt"), r.getString("node"),
                            RunStatus.ofColumn(r.getString("status")), r.getBoolean("late"), r.getInt("missed_slots"),
                            instant(r, "claimed_at"), instant(r, "finished_at"), r.getString("error")));
                }
            }
        }
        return runs;
    }

    private static List<JobRunFacts.Totals> totals(Connection c) throws SQLException {
        Map<List<String>, Map<String, Long>> counts = new LinkedHashMap<>();
        Map<List<String>, Instant> lastSuccess = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(COUNTS); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                List<String> job = java.util.Arrays.asList(r.getString(1), r.getString(2));
                counts.computeIfAbsent(job, j -> new HashMap<>()).put(r.getString(3), r.getLong(4));
                Timestamp ok = r.getTimestamp(5);
                if (ok != null) {
                    lastSuccess.put(job, ok.toInstant());
                }
            }
        }
        Map<List<String>, Duration> lastDuration = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(LAST_FINISHED); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                lastDuration.put(java.util.Arrays.asList(r.getString(1), r.getString(2)), Duration.ofMillis(r.getBigDecimal(3).longValue()));
            }
        }
        List<JobRunFacts.Totals> totals = new ArrayList<>();
        counts.forEach((job, byStatus) -> totals.add(new JobRunFacts.Totals(job.get(0), job.get(1), lastSuccess.get(job),
                lastDuration.get(job), byStatus)));
        return totals;
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
