package dev.cellar.web.ui;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Backups from the catalog's backup_log: newest first for the list, one by id for the detail. */
public final class CatalogBackups {
    static final int LISTED = 200;
    private static final String COLUMNS = """
            SELECT backup_id, database, backup_type, physical_type, status, started_at, finished_at, size_bytes, stored_bytes,
                   extract(epoch FROM duration) * 1000, copies, run_by, expired_at, error
              FROM cellar.backup_log""";

    private final DataSource catalog;

    public CatalogBackups(DataSource catalog) {
        this.catalog = catalog;
    }

    /** @param database null for every database */
    public List<CatalogBackup> newest(String database) {
        String sql = COLUMNS + " WHERE backup_type IS NOT NULL AND backup_id IS NOT NULL"
                + (database == null ? "" : " AND database = ?") + " ORDER BY started_at DESC LIMIT " + LISTED;
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (database != null) {
                s.setString(1, database);
            }
            return read(s);
        } catch (SQLException e) {
            throw CatalogReads.unreadable(e);
        }
    }

    public Optional<CatalogBackup> byId(String backupId) {
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(COLUMNS + " WHERE backup_id = ?")) {
            s.setString(1, backupId);
            return read(s).stream().findFirst();
        } catch (SQLException e) {
            throw CatalogReads.unreadable(e);
        }
    }

    private static List<CatalogBackup> read(PreparedStatement s) throws SQLException {
        List<CatalogBackup> backups = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                var millis = r.getBigDecimal(10);
                backups.add(new CatalogBackup(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                        CatalogReads.instant(r, 6), CatalogReads.instant(r, 7), CatalogReads.longOrNull(r, 8), CatalogReads.longOrNull(r, 9),
                        millis == null ? null : Duration.ofMillis(millis.longValue()), r.getObject(11, Integer.class), r.getString(12),
                        CatalogReads.instant(r, 13), r.getString(14)));
            }
        }
        return backups;
    }
}
