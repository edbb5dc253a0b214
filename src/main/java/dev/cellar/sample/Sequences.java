package dev.cellar.sample;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Moves every id sequence of restaurant_ordering to its table's highest id. Rows arrive with
 * explicit ids (COPY), which leaves the sequences behind; an application inserting afterwards
 * would otherwise collide.
 */
final class Sequences {
    private static final String[][] ID_COLUMNS = {
            {"cafes", "id"}, {"menu_items", "id"}, {"users", "id"}, {"user_activity", "id"}, {"orders", "id"},
            {"order_items", "id"}, {"payments", "id"}, {"employees", "id"}, {"audit.audit_logs", "id"}};

    private Sequences() {
    }

    static void syncToMaxIds(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String[] tc : ID_COLUMNS) {
                st.execute("SELECT setval(pg_get_serial_sequence('" + tc[0] + "', '" + tc[1] + "'), "
                        + "coalesce(max(" + tc[1] + "), 0) + 1, false) FROM " + tc[0]);
            }
        }
    }
}
