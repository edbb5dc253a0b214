package dev.cellar.web.ui;

import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.ScheduledJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The schedules page: every job of the plan with its next three slots and how its newest run ended. */
public final class ScheduleBoard {
    static final int NEXT_RUNS = 3;
    private static final String NEWEST_RUNS = """
            SELECT DISTINCT ON (job_key) job_key, status, scheduled_for, finished_at, error
              FROM cellar.job_run
             ORDER BY job_key, scheduled_for DESC, attempt DESC""";

    private final DataSource catalog;
    private final JobPlan plan;
    private final Clock clock;

    public ScheduleBoard(DataSource catalog, JobPlan plan, Clock clock) {
        this.catalog = catalog;
        this.plan = plan;
        this.clock = clock;
    }

    public List<ScheduleLine> lines() {
        Instant now = clock.instant();
        Map<String, Object[]> newest = new HashMap<>();
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(NEWEST_RUNS); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                newest.put(r.getString(1), new Object[] {r.getString(2), CatalogReads.instant(r, 3), CatalogReads.instant(r, 4), r.getString(5)});
            }
        } catch (SQLException e) {
            throw CatalogReads.unreadable(e);
        }
        return plan.jobs().stream().map(job -> line(job, now, newest.get(job.key()))).toList();
    }

    private static ScheduleLine line(ScheduledJob job, Instant now, Object[] last) {
        return new ScheduleLine(job.key(), job.kind(), job.database() == null ? null : job.database().name(), job.schedule().expression() + " (" + job.schedule().zone() + ")",
                job.schedule().upcoming(now, NEXT_RUNS), last == null ? null : (String) last[0], last == null ? null : (Instant) last[1],
                last == null ? null : (Instant) last[2], last == null ? null : (String) last[3]);
    }
}
