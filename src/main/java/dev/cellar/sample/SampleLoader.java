package dev.cellar.sample;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the reference database {@code restaurant_ordering} in an empty database: schema, years
 * of deterministic history, keys, indexes and statistics. Data goes in with COPY before any key
 * or index exists, then keys and indexes are built once over the loaded tables.
 */
public final class SampleLoader {
    private SampleLoader() {
    }

    /**
     * Loads {@code spec} into the (empty) database behind {@code c}. The same spec always yields
     * the same rows. Runs in one transaction: a failed load leaves the database empty.
     */
    public static SampleLoadResult load(Connection c, SampleSpec spec) {
        long started = System.nanoTime();
        SampleWorld world = SampleWorld.of(spec);
        OrderSource orders = new OrderHistory(world);
        List<TableRows> tables = List.of(new CafeRows(world), new MenuItemRows(world), new InventoryRows(world),
                new EmployeeRows(world), new UserRows(world), UserActivityRows.history(world), new OrderRows(orders),
                new OrderItemRows(orders, 1), new PaymentRows(orders, 1), new AuditLogRows(world));
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            Transactions.inOne(c, () -> {
                createSchema(c);
                createOrderPartitions(c, spec);
                for (TableRows table : tables) {
                    counts.put(table.table(), CopyLoader.copy(c, table));
                }
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL maintenance_work_mem = '256MB'");
                }
                SqlScripts.run(c, SqlScripts.CONSTRAINTS);
                Sequences.syncToMaxIds(c);
            });
            analyze(c);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "loading the sample database failed: " + e.getMessage(),
                    "load into an empty database; createSchema fails when the tables already exist", e);
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new SampleLoadResult(counts, total, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Creates the schema of restaurant_ordering (no data, keys or monthly partitions) in an empty database. */
    public static void createSchema(Connection c) {
        try {
            Transactions.inOne(c, () -> SqlScripts.run(c, SqlScripts.SCHEMA));
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "creating the sample schema failed: " + e.getMessage(),
                    "the schema can only be created in an empty database", e);
        }
    }

    private static void createOrderPartitions(Connection c, SampleSpec spec) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ensure_order_partitions(?, ?)")) {
            ps.setDate(1, Date.valueOf(spec.startDate()));
            ps.setDate(2, Date.valueOf(spec.endDate()));
            ps.execute();
        }
    }

    /** ANALYZE outside the load's transaction, so the statistics are visible to everyone at once. */
    private static void analyze(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
    }
}
