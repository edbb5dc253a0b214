package dev.cellar.lifecycle.retention;

import dev.cellar.lifecycle.archive.Archiver;
import dev.cellar.lifecycle.archive.RowSelection;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An archiver for tests of the delete half of retention until the repository archiver is merged:
 * it copies the selected rows, from the caller's snapshot, into tables of a schema of the same
 * database, one table per archived table and run, so a test can compare them with what was deleted.
 */
final class TableCopyArchiver implements Archiver {
    static final String SCHEMA = "test_archive";

    @Override
    public ArchiveReceipt archive(Connection snapshot, ArchiveRequest request) {
        List<TableCount> tables = new ArrayList<>();
        try (Statement st = snapshot.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            for (RowSelection rows : request.rows()) {
                String copy = copyOf(request.label(), rows);
                st.execute("CREATE TABLE " + copy + " AS SELECT * FROM " + rows.table().quoted() + " WHERE " + rows.condition());
                try (ResultSet rs = st.executeQuery("SELECT count(*), md5(coalesce(string_agg(c::text, '|' ORDER BY c::text), '')) FROM " + copy + " c")) {
                    rs.next();
                    tables.add(new TableCount(rows.table().toString(), rs.getLong(1), rs.getLong(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new ArchiveReceipt(request.kind() + "/" + request.label(), SCHEMA, tables, 0, request.lockedUntil());
    }

    @Override
    public ArchiveVerification verify(String archiveId) {
        return new ArchiveVerification(archiveId, true, List.of(), List.of());
    }

    static String copyOf(String label, RowSelection rows) {
        return SCHEMA + ".\"" + label + "__" + rows.table().schema() + "__" + rows.table().name() + "\"";
    }
}
