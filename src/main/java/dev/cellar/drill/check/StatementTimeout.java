package dev.cellar.drill.check;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Bounds each check query on the server side, so a bad plan on a cold copy cannot hang a drill. */
final class StatementTimeout {
    private static final String QUERY_CANCELED = "57014";

    private StatementTimeout() {
    }

    static void set(Statement st, Duration timeout) throws SQLException {
        st.execute("SET statement_timeout = " + timeout.toMillis());
    }

    static void reset(Statement st) throws SQLException {
        st.execute("RESET statement_timeout");
    }

    static String describe(SQLException e, Duration timeout) {
        if (QUERY_CANCELED.equals(e.getSQLState())) {
            return "exceeded the statement timeout of " + timeout.toSeconds() + " s";
        }
        String message = e.getMessage() == null ? "unknown error" : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
