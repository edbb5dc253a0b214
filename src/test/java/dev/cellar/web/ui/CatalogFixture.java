package dev.cellar.web.ui;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Fills a migrated catalog with a year of real-looking history, the way the daemon's ingest would have: a
 * daily logical backup (slowly growing, a little noise, one that came out half size), optionally hourly
 * physical incrementals from 07:00 to 23:00, weekly restore tests (one failed), daily repository verifies.
 * Every statement is one INSERT ... SELECT over generate_series, so a hundred databases take seconds.
 */
final class CatalogFixture {
    private final DataSource catalog;
    private final Instant now;

    CatalogFixture(DataSource catalog, Instant now) {
        this.catalog = catalog;
        this.now = now;
    }

    /**
     * @param newestAge how long ago its newest logical backup started (26 h makes it CRITICAL)
     * @param physical  whether it also has hourly physical incrementals (the newest one hour old)
     */
    void database(String database, Duration newestAge, boolean physical, int days) throws SQLException {
        try (Connection c = catalog.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO cellar.backup_log (audit_mac, operation, backup_type, database, target, started_at, finished_at, status,
                                                   size_bytes, stored_bytes, duration, copies, backup_id, run_by, first_sequence, last_sequence)
                    SELECT 'mac-' || ? || '-l-' || n, 'backup.logical', 'logical', ?, ?, at, at + dur, 'ok',
                           size, (size * (0.08 + random() * 0.04))::bigint, dur, 2, ? || '-l-' || n, 'cellar-server', n, n
                      FROM (SELECT n, ?::timestamptz - make_interval(days => n) AS at,
                                   make_interval(secs => 240 + n % 7 * 15 + random() * 30) AS dur,
                                   (2e9 * (1.6 - n / 730.0) * (0.97 + random() * 0.06) * CASE WHEN n = 40 THEN 0.5 ELSE 1 END)::bigint AS size
                              FROM generate_series(0, ?) AS n) g""")) {
                s.setString(1, database);
                s.setString(2, database);
                s.setString(3, database);
                s.setString(4, database);
                s.setTimestamp(5, Timestamp.from(now.minus(newestAge)));
                s.setInt(6, days - 1);
                s.executeUpdate();
            }
            if (physical) {
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO cellar.backup_log (audit_mac, operation, backup_type, physical_type, database, target, started_at,
                                                       finished_at, status, size_bytes, stored_bytes, duration, copies, backup_id, run_by,
                                                       first_sequence, last_sequence)
                        SELECT 'mac-' || ? || '-p-' || n, 'backup.physical', 'physical', 'incremental', ?, ?, at, at + dur, 'ok',
                               size, size, dur, 2, ? || '-p-' || n, 'cellar-server', n, n
                          FROM (SELECT n, ?::timestamptz - make_interval(hours => n) AS at,
                                       make_interval(secs => 30 + random() * 20) AS dur,
                                       (1.5e8 * (0.9 + random() * 0.2))::bigint AS size
                                  FROM generate_series(0, ? * 24) AS n) g
                         WHERE extract(hour FROM at AT TIME ZONE 'UTC') BETWEEN 7 AND 23""")) {
                    s.setString(1, database);
                    s.setString(2, database);
                    s.setString(3, database);
                    s.setString(4, database);
                    s.setTimestamp(5, Timestamp.from(now.minus(Duration.ofHours(1))));
                    s.setInt(6, days);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO cellar.backup_log (audit_mac, operation, database, target, started_at, finished_at, status, error,
                                                   run_by, first_sequence, last_sequence)
                    SELECT 'mac-' || ? || '-t-' || n, 'verify.restore-test', ?, ? || '-l-' || n, at, at + interval '20 minutes',
                           CASE WHEN n = 21 THEN 'failed' ELSE 'ok' END,
                           CASE WHEN n = 21 THEN 'row counts differ in public.orders: 1204 restored, 1205 in the manifest' END,
                           'cellar-server', n, n
                      FROM (SELECT n, ?::timestamptz - make_interval(days => n) + interval '1 hour' AS at
                              FROM generate_series(0, ?, 7) AS n) g""")) {
                s.setString(1, database);
                s.setString(2, database);
                s.setString(3, database);
                s.setTimestamp(4, Timestamp.from(now.minus(newestAge)));
                s.setInt(5, days - 1);
                s.executeUpdate();
            }
        }
    }

    /** Daily verifies of the whole repository; the one {@code failedDaysAgo} failed. */
    void verifies(int days, int failedDaysAgo) throws SQLException {
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO cellar.backup_log (audit_mac, operation, target, started_at, finished_at, status, error, run_by,
                                               first_sequence, last_sequence)
                SELECT 'mac-verify-' || n, 'verify', 'repository', at, at + interval '5 minutes',
                       CASE WHEN n = ? THEN 'failed' ELSE 'ok' END,
                       CASE WHEN n = ? THEN 'chunk 3f9a… unreadable in copy cloud' END, 'cellar-server', n, n
                  FROM (SELECT n, ?::timestamptz - make_interval(days => n) AS at FROM generate_series(1, ?) AS n) g""")) {
            s.setInt(1, failedDaysAgo);
            s.setInt(2, failedDaysAgo);
            s.setTimestamp(3, Timestamp.from(now.minus(Duration.ofHours(3))));
            s.setInt(4, days);
            s.executeUpdate();
        }
    }

    /** One open critical incident, one acknowledged warning, one resolved. */
    void incidents(String database) throws SQLException {
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO cellar.alert_incident (incident_key, condition, severity, subject, summary, details, action, problem_since,
                                                   opened_at, last_notified_at, resolved_at, acknowledged_at, acknowledged_by)
                VALUES (?, 'rpo', 'critical', ?, ?, 'newest recoverable point 26 h ago; objective 1 h', 'run cellar backup logical -d ' || ?,
                        ?, ?, ?, NULL, NULL, NULL),
                       ('size-deviation/' || ?, 'size-deviation', 'warning', ?, 'logical backup of ' || ? || ' is 50% smaller than usual',
                        'median of the 7 before it: 2.9 GiB (limit ±20%)', 'check that no table was dropped', ?, ?, ?, NULL, ?, 'alice'),
                       ('wal/' || ?, 'wal', 'critical', ?, 'WAL archiving of ' || ? || ' is 40 min behind', 'last archived 40 min ago',
                        'check archive_command', ?, ?, ?, ?, NULL, NULL)""")) {
            Timestamp hoursAgo = Timestamp.from(now.minus(Duration.ofHours(2)));
            Timestamp daysAgo = Timestamp.from(now.minus(Duration.ofDays(3)));
            int i = 1;
            s.setString(i++, "rpo/" + database);
            s.setString(i++, database);
            s.setString(i++, "recovery point of " + database + " is older than its objective");
            s.setString(i++, database);
            s.setTimestamp(i++, hoursAgo);
            s.setTimestamp(i++, hoursAgo);
            s.setTimestamp(i++, hoursAgo);
            s.setString(i++, database);
            s.setString(i++, database);
            s.setString(i++, database);
            s.setTimestamp(i++, daysAgo);
            s.setTimestamp(i++, daysAgo);
            s.setTimestamp(i++, daysAgo);
            s.setTimestamp(i++, hoursAgo);
            s.setString(i++, database);
            s.setString(i++, database);
            s.setString(i++, database);
            s.setTimestamp(i++, daysAgo);
            s.setTimestamp(i++, daysAgo);
            s.setTimestamp(i++, daysAgo);
            s.setTimestamp(i, Timestamp.from(now.minus(Duration.ofDays(2))));
            s.executeUpdate();
        }
    }

    /** The newest run of a job, as the ledger records it. */
    void jobRun(String jobKey, String kind, String database, Duration ago, String status, String error) throws SQLException {
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO cellar.job_run (job_key, job_kind, database_name, scheduled_for, node, status, claimed_at, heartbeat_at,
                                            finished_at, error)
                VALUES (?, ?, ?, ?, 'node-1', ?, ?, ?, ?, ?)""")) {
            Timestamp at = Timestamp.from(now.minus(ago));
            s.setString(1, jobKey);
            s.setString(2, kind);
            s.setString(3, database);
            s.setTimestamp(4, at);
            s.setString(5, status);
            s.setTimestamp(6, at);
            s.setTimestamp(7, at);
            s.setTimestamp(8, at);
            s.setString(9, error);
            s.executeUpdate();
        }
    }
}
