package dev.cellar.sample;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Streams a {@link TableRows} into its table with COPY ... FROM STDIN, the fastest way into
 * PostgreSQL: one round trip per chunk instead of per row.
 */
final class CopyLoader {
    private CopyLoader() {
    }

    /** Returns the number of rows the server reports as copied. */
    static long copy(Connection c, TableRows rows) throws SQLException {
        CopyIn copyIn = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + rows.table() + " (" + rows.columns() + ") FROM STDIN");
        try {
            try (RowWriter out = new RowWriter((data, length) -> {
                try {
                    copyIn.writeToCopy(data, 0, length);
                } catch (SQLException e) {
                    throw new IOException(e);
                }
            })) {
                rows.writeTo(out);
            }
            return copyIn.endCopy();
        } catch (UncheckedIOException e) {
            // the server rejected a chunk: surface its SQLException, which names the bad row
            if (e.getCause().getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
    }
}
