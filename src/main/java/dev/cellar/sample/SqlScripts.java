package dev.cellar.sample;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs the SQL scripts shipped under {@code sample/} in the jar. */
final class SqlScripts {
    static final String SCHEMA = "/sample/restaurant_ordering.sql";
    static final String CONSTRAINTS = "/sample/restaurant_ordering_constraints.sql";

    private SqlScripts() {
    }

    /** Sends the script as one batch; pgjdbc splits statements itself and respects $$ quoting. */
    static void run(Connection c, String resource) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(read(resource));
        }
    }

    static String read(String resource) {
        try (InputStream in = SqlScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new CellarException(ErrorCode.INTERNAL, "resource " + resource + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot read " + resource + ": " + e.getMessage(), null, e);
        }
    }
}
