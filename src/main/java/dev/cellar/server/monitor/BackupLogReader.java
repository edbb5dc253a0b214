package dev.cellar.server.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads what the observation needs of {@code cellar.backup_log}: the only SQL on that table in this package. */
final class BackupLogReader {
    /** Checks kept per kind: the newest decides, and one that passed is looked for behind failures. */
    static final int RECENT_CHECKS = 50;

    private static final String NEWEST_BACKUPS = """
            SELECT database, backup_type, physical_type, backup_id, started_at, finished_at, size_bytes, stored_bytes
              FROM (SELECT *, row_number() OVER (PARTITION BY database, backup_type, physical_type ORDER BY started_at DESC) AS nth
                      FROM cellar.backup_log
                     WHERE status = 'ok' AND backup_type IS NOT NULL AND database IS NOT NULL AND expired_at IS NULL) b
             WHERE nth <= ?
             ORDER BY database, backup_type, started_at""";
    private static final String RETAINED = """
            SELECT database, sum(size_bytes), sum(stored_bytes)
              FROM cellar.backup_log
             WHERE status = 'ok' AND backup_type IS NOT NULL AND database IS NOT NULL AND expired_at IS NULL
               AND size_bytes IS NOT NULL AND stored_bytes IS NOT NULL
             GROUP BY database""";
    // a restore test's target is the backup it restored: that backup's row names the database
    private static final String CHECKS = """
            SELECT v.operation, b.database, v.finished_at, v.status, v.error
              FROM (SELECT *, row_number() OVER (PARTITION BY operation ORDER BY finished_at DESC) AS nth
                      FROM cellar.backup_log
                     WHERE operation IN ('verify', 'verify.restore-test') AND finished_at IS NOT NULL AND status <> 'running') v
              LEFT JOIN cellar.backup_log b ON v.operation = 'verify.restore-test' AND b.backup_id = v.target
             WHERE v.nth <= ?""";

    private final DataSource catalog;

    BackupLogReader(DataSource catalog) {
        this.catalog = catalog;
    }

    /** @param perKind how many of the newest backups of each database and kind to read */
    BackupLogFacts read(int perKind) throws SQLException {
        try (Connection c = catalog.getConnection()) {
            return new BackupLogFacts(newest(c, perKind), retained(c), checks(c));
        }
    }

    private static List<LoggedBackup> newest(Connection c, int perKind) throws SQLException {
        List<LoggedBackup> backups = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(NEWEST_BACKUPS)) {
            s.setInt(1, perKind);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    backups.add(new LoggedBackup(r.getString(1), r.getString(2), r.getString(3), r.getString(4), instant(r, 5),
                            instant(r, 6), r.getObject(7, Long.class), r.getObject(8, Long.class)));
                }
            }
        }
        return backups;
    }

    private static List<BackupLogFacts.Retained> retained(Connection c) throws SQLException {
        List<BackupLogFacts.Retained> retained = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(RETAINED); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                retained.add(new BackupLogFacts.Retained(r.getString(1), r.getLong(2), r.getLong(3)));
            }
        }
        return retained;
    }

    private static List<BackupLogFacts.Check> checks(Connection c) throws SQLException {
        List<BackupLogFacts.Check> checks = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(CHECKS)) {
            s.setInt(1, RECENT_CHECKS);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    boolean passed = "ok".equals(r.getString(4));
                    checks.add(new BackupLogFacts.Check("verify.restore-test".equals(r.getString(1)), r.getString(2), instant(r, 3),
                            passed, passed ? null : r.getString(5)));
                }
            }
        }
        return checks;
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
