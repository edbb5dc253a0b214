package dev.cellar.server.run;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The catalog's record of scheduled runs ({@code cellar.job_run}), shared by every daemon on the
 * catalog. Each decision about a job (claim a slot, skip it, retry an abandoned run) happens in one
 * transaction under an advisory lock on the job's key, so nodes deciding at once see each other's
 * rows; the unique key on (job, instant, attempt) backs it up. Leases (heartbeats) are judged in the
 * database's clock, which every node shares; when a run was claimed and finished is written in the
 * daemon's clock, the one its slots, time-outs and the repository's audit trail are in.
 */
public final class JobLedger {
    private static final String COLUMNS = "id, job_key, job_kind, database_name, scheduled_for, attempt, node, late, missed_slots, claimed_at";

    private final DataSource dataSource;
    private final java.time.Clock clock;

    /** A ledger whose runs are stamped with the system clock (for readers and tests). */
    public JobLedger(DataSource dataSource) {
        this(dataSource, java.time.Clock.systemUTC());
    }

    /** @param clock the daemon's clock: claims and ends of runs are stamped with it */
    public JobLedger(DataSource dataSource, java.time.Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Takes {@code slot} for {@code node}: claimed when no node took it yet and no earlier run of the
     * job is still going; skipped (and recorded so) when one is; already handled otherwise.
     */
    public ClaimOutcome claim(JobSlot slot, String node) {
        return inTransaction(slot.jobKey(), c -> {
            if (slotTaken(c, slot)) {
                return new ClaimOutcome.AlreadyHandled();
            }
            Optional<Running> running = runningRun(c, slot.jobKey());
            if (running.isPresent()) {
                long id = insert(c, slot, 1, node, RunStatus.SKIPPED,
                        "run of " + running.get().slot() + " still going on " + running.get().node());
                return new ClaimOutcome.Skipped(id, running.get().node(), running.get().since(), running.get().slot());
            }
            long id = insert(c, slot, 1, node, RunStatus.RUNNING, null);
            return new ClaimOutcome.Claimed(claimOf(c, id));
        });
    }

    /**
     * Marks as interrupted every run whose heartbeat is older than the policy's lease, and claims
     * the next attempt of each for {@code node} while the policy allows one more.
     *
     * @return the retries this node now owns and must run
     */
    public List<RunClaim> retryAbandoned(RetryPolicy policy, String node) {
        List<RunClaim> retries = new ArrayList<>();
        for (String jobKey : staleJobKeys(policy)) {
            retries.addAll(inTransaction(jobKey, c -> {
                List<RunClaim> owned = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("UPDATE cellar.job_run SET status = 'interrupted', finished_at = ?,"
                        + " error = 'node ' || node || ' stopped answering (last heartbeat ' || heartbeat_at || ')'"
                        + " WHERE job_key = ? AND status = 'running' AND heartbeat_at < now() - make_interval(secs => ?)"
                        + " RETURNING " + COLUMNS)) {
                    s.setTimestamp(1, Timestamp.from(clock.instant()));
                    s.setString(2, jobKey);
                    s.setDouble(3, policy.lease().toMillis() / 1000.0);
                    List<RunClaim> abandoned = new ArrayList<>();
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            abandoned.add(claimOf(r));
                        }
                    }
                    for (RunClaim run : abandoned) {
                        if (run.attempt() < policy.maxAttempts()) {
                            long id = insert(c, run.slot(), run.attempt() + 1, node, RunStatus.RUNNING,
                                    "retry of attempt " + run.attempt() + " by " + run.node());
                            owned.add(claimOf(c, id));
                        }
                    }
                }
                return owned;
            }));
        }
        return retries;
    }

    /** Keeps the claim's lease; false when the run is no longer this node's (another node took it for abandoned). */
    public boolean heartbeat(RunClaim claim) {
        return update("UPDATE cellar.job_run SET heartbeat_at = now() WHERE id = ? AND status = 'running' AND node = ?",
                claim.id(), claim.node()) == 1;
    }

    /** Records how the run ended; false when it was no longer running (taken for abandoned meanwhile). */
    public boolean finish(RunClaim claim, RunStatus status, String error, String detail) {
        if (status == RunStatus.RUNNING || status == RunStatus.SKIPPED) {
            throw new IllegalArgumentException("a run finishes as ok, failed, interrupted or timed out, not " + status);
        }
        try (Connection c = connection();
             PreparedStatement s = c.prepareStatement("UPDATE cellar.job_run SET status = ?, finished_at = ?, error = ?, detail = ?"
                     + " WHERE id = ? AND status = 'running'")) {
            s.setString(1, status.column());
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            s.setString(3, error);
            s.setString(4, detail);
            s.setLong(5, claim.id());
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable("record the end of run " + claim.id(), e);
        }
    }

    /** The newest instant of {@code jobKey} any node took, skipped or retried: where a catch-up starts. */
    public Optional<Instant> lastScheduled(String jobKey) {
        try (Connection c = connection();
             PreparedStatement s = c.prepareStatement("SELECT max(scheduled_for) FROM cellar.job_run WHERE job_key = ?")) {
            s.setString(1, jobKey);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                Timestamp t = r.getTimestamp(1);
                return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
        } catch (SQLException e) {
            throw unavailable("read the last run of " + jobKey, e);
        }
    }

    /** The catalog database's clock: the one leases and heartbeats are judged by. */
    public Instant databaseNow() {
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement("SELECT now()"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw unavailable("read the catalog's clock", e);
        }
    }

    /** Every run recorded, oldest slot first: for status pages and tests. */
    public List<RecordedRun> runs(String jobKeyOrNull) {
        String sql = "SELECT id, job_key, job_kind, database_name, scheduled_for, attempt, node, status, late, missed_slots,"
                + " claimed_at, finished_at, error FROM cellar.job_run" + (jobKeyOrNull == null ? "" : " WHERE job_key = ?")
                + " ORDER BY scheduled_for, job_key, attempt";
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (jobKeyOrNull != null) {
                s.setString(1, jobKeyOrNull);
            }
            List<RecordedRun> runs = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp finished = r.getTimestamp("finished_at");
                    runs.add(new RecordedRun(r.getLong("id"), r.getString("job_key"), r.getString("job_kind"), r.getString("database_name"),
                            r.getTimestamp("scheduled_for").toInstant(), r.getInt("attempt"), r.getString("node"),
                            RunStatus.ofColumn(r.getString("status")), r.getBoolean("late"), r.getInt("missed_slots"),
                            r.getTimestamp("claimed_at").toInstant(), finished == null ? null : finished.toInstant(), r.getString("error")));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw unavailable("list the runs", e);
        }
    }

    /** One row of {@code cellar.job_run}. */
    public record RecordedRun(long id, String jobKey, String kind, String database, Instant scheduledFor, int attempt, String node,
                              RunStatus status, boolean late, int missedSlots, Instant claimedAt, Instant finishedAt, String error) {
    }

    private record Running(String node, Instant since, Instant slot) {
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction that holds the job's advisory lock until it ends. */
    private <T> T inTransaction(String jobKey, Work<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('cellar.job_run'), hashtext(?))")) {
                    lock.setString(1, jobKey);
                    lock.execute();
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable("decide on a run of " + jobKey, e);
        }
    }

    private static boolean slotTaken(Connection c, JobSlot slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM cellar.job_run WHERE job_key = ? AND scheduled_for = ?")) {
            s.setString(1, slot.jobKey());
            s.setTimestamp(2, Timestamp.from(slot.scheduledFor()));
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static Optional<Running> runningRun(Connection c, String jobKey) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT node, claimed_at, scheduled_for FROM cellar.job_run"
                + " WHERE job_key = ? AND status = 'running' ORDER BY claimed_at LIMIT 1")) {
            s.setString(1, jobKey);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Running(r.getString(1), r.getTimestamp(2).toInstant(), r.getTimestamp(3).toInstant()))
                        : Optional.empty();
            }
        }
    }

    private long insert(Connection c, JobSlot slot, int attempt, String node, RunStatus status, String detail) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO cellar.job_run (job_key, job_kind, database_name, scheduled_for, attempt,"
                + " node, status, late, missed_slots, detail, claimed_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " CASE WHEN ? = 'running' THEN NULL ELSE ?::timestamptz END) RETURNING id")) {
            s.setString(1, slot.jobKey());
            s.setString(2, slot.kind());
            s.setString(3, slot.database());
            s.setTimestamp(4, Timestamp.from(slot.scheduledFor()));
            s.setInt(5, attempt);
            s.setString(6, node);
            s.setString(7, status.column());
            s.setBoolean(8, slot.late());
            s.setInt(9, slot.missedSlots());
            s.setString(10, detail);
            Timestamp now = Timestamp.from(clock.instant());
            s.setTimestamp(11, now);
            s.setString(12, status.column());
            s.setTimestamp(13, now);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static RunClaim claimOf(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM cellar.job_run WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return claimOf(r);
            }
        }
    }

    private static RunClaim claimOf(ResultSet r) throws SQLException {
        JobSlot slot = new JobSlot(r.getString("job_key"), r.getString("job_kind"), r.getString("database_name"),
                r.getTimestamp("scheduled_for").toInstant(), r.getBoolean("late"), r.getInt("missed_slots"));
        return new RunClaim(r.getLong("id"), slot, r.getInt("attempt"), r.getString("node"), r.getTimestamp("claimed_at").toInstant());
    }

    private List<String> staleJobKeys(RetryPolicy policy) {
        try (Connection c = connection();
             PreparedStatement s = c.prepareStatement("SELECT DISTINCT job_key FROM cellar.job_run WHERE status = 'running'"
                     + " AND heartbeat_at < now() - make_interval(secs => ?)")) {
            s.setDouble(1, policy.lease().toMillis() / 1000.0);
            List<String> keys = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    keys.add(r.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw unavailable("look for abandoned runs", e);
        }
    }

    private int update(String sql, long id, String node) {
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            s.setString(2, node);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw unavailable("keep the lease of run " + id, e);
        }
    }

    private Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    private static CellarException unavailable(String what, SQLException e) {
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot " + what + " in the catalog: " + e.getMessage(),
                "check that the catalog database (catalog.url, or the embedded one under server.state-dir) is running", e);
    }
}
