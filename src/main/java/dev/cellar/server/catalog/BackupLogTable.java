package dev.cellar.server.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads and writes {@code backup_log} on one connection (the caller's transaction). */
final class BackupLogTable {
    /** What an upsert did to one row. */
    enum Change { INSERTED, UPDATED, UNCHANGED }

    private static final String UPSERT = """
            INSERT INTO backup_log (audit_mac, operation, backup_type, physical_type, database, target, started_at, finished_at, status,
                                    size_bytes, stored_bytes, duration, copies, error, detail, backup_id, parent_backup_id, expired_at,
                                    run_by, first_sequence, last_sequence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::interval, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (audit_mac) DO UPDATE SET
                finished_at = EXCLUDED.finished_at, status = EXCLUDED.status,
                physical_type = coalesce(EXCLUDED.physical_type, backup_log.physical_type),
                database = coalesce(EXCLUDED.database, backup_log.database),
                size_bytes = coalesce(EXCLUDED.size_bytes, backup_log.size_bytes),
                stored_bytes = coalesce(EXCLUDED.stored_bytes, backup_log.stored_bytes),
                parent_backup_id = coalesce(EXCLUDED.parent_backup_id, backup_log.parent_backup_id),
                duration = EXCLUDED.duration, copies = EXCLUDED.copies, error = EXCLUDED.error, detail = EXCLUDED.detail,
                backup_id = EXCLUDED.backup_id, expired_at = EXCLUDED.expired_at, last_sequence = EXCLUDED.last_sequence
            WHERE (backup_log.finished_at, backup_log.status, backup_log.copies, backup_log.expired_at, backup_log.last_sequence,
                   backup_log.backup_id)
                  IS DISTINCT FROM (EXCLUDED.finished_at, EXCLUDED.status, EXCLUDED.copies, EXCLUDED.expired_at, EXCLUDED.last_sequence,
                   EXCLUDED.backup_id)
               OR (backup_log.size_bytes IS NULL AND EXCLUDED.size_bytes IS NOT NULL)
            RETURNING (xmax = 0) AS inserted
            """;

    private final Connection connection;

    BackupLogTable(Connection connection) {
        this.connection = connection;
    }

    /** Serialises ingests of several nodes or commands on one catalog, until the transaction ends. */
    void lockForIngest() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext('cellar.backup_log ingest'))");
        }
    }

    void deleteAll() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM backup_log");
        }
    }

    /** Backup ids whose manifest was read already: their sizes need not be read again. */
    Set<String> backupsWithFacts() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT backup_id FROM backup_log WHERE backup_id IS NOT NULL AND size_bytes IS NOT NULL")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    Change upsert(BackupLogEntry e) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(UPSERT)) {
            int i = 0;
            p.setString(++i, e.auditMac());
            p.setString(++i, e.operation());
            p.setString(++i, e.backupType());
            p.setString(++i, e.physicalType());
            p.setString(++i, e.database());
            p.setString(++i, e.target());
            p.setTimestamp(++i, timestamp(e.startedAt()));
            p.setTimestamp(++i, timestamp(e.finishedAt()));
            p.setString(++i, e.status());
            setLong(p, ++i, e.sizeBytes());
            setLong(p, ++i, e.storedBytes());
            p.setString(++i, e.duration() == null ? null : e.duration().toMillis() / 1000.0 + " seconds");
            if (e.copies() == null) {
                p.setNull(++i, Types.INTEGER);
            } else {
                p.setInt(++i, e.copies());
            }
            p.setString(++i, e.error());
            p.setString(++i, e.detail());
            p.setString(++i, e.backupId());
            p.setString(++i, e.parentBackupId());
            p.setTimestamp(++i, timestamp(e.expiredAt()));
            p.setString(++i, e.runBy());
            p.setLong(++i, e.firstSequence());
            p.setLong(++i, e.lastSequence());
            try (ResultSet rs = p.executeQuery()) {
                return !rs.next() ? Change.UNCHANGED : rs.getBoolean(1) ? Change.INSERTED : Change.UPDATED;
            }
        }
    }

    /** Every row, oldest first. */
    List<BackupLogEntry> all() throws SQLException {
        List<BackupLogEntry> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT audit_mac, operation, backup_type, physical_type, database, target, started_at, finished_at, status, size_bytes,
                       stored_bytes, extract(epoch FROM duration) * 1000, copies, error, detail, backup_id, parent_backup_id, expired_at,
                       run_by, first_sequence, last_sequence
                  FROM backup_log ORDER BY started_at, first_sequence""")) {
            while (rs.next()) {
                rows.add(new BackupLogEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), instant(rs, 7), instant(rs, 8), rs.getString(9), (Long) rs.getObject(10, Long.class),
                        rs.getObject(11, Long.class), rs.getObject(12) == null ? null : Duration.ofMillis(rs.getBigDecimal(12).longValue()),
                        rs.getObject(13, Integer.class), rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17),
                        instant(rs, 18), rs.getString(19), rs.getLong(20), rs.getLong(21)));
            }
        }
        return rows;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static void setLong(PreparedStatement p, int index, Long value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.BIGINT);
        } else {
            p.setLong(index, value);
        }
    }
}
