package dev.cellar.sample;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Manual benchmark, not a test: loads one scale into a throwaway cluster and prints the load
 * time and database size, then waits for Enter so the cluster can be inspected (pg_dump sizes).
 * Run with {@code java -cp target/classes:target/test-classes:<pgjdbc jar> dev.cellar.sample.SampleMeasure 100}.
 */
public final class SampleMeasure {
    private SampleMeasure() {
    }

    public static void main(String[] args) throws Exception {
        int scale = Integer.parseInt(args[0]);
        try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
            pg.createDatabase("restaurant_ordering");
            try (Connection c = pg.connect("restaurant_ordering")) {
                SampleLoadResult result = SampleLoader.load(c, SampleSpec.ofScale(scale));
                System.out.println(result.rowsPerTable());
                System.out.printf("scale %d: %,d rows in %s%n", scale, result.totalRows(), result.duration());
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database()), "
                             + "pg_size_pretty(pg_database_size(current_database()))")) {
                    rs.next();
                    System.out.printf("pg_database_size: %d (%s)%n", rs.getLong(1), rs.getString(2));
                }
            }
            System.out.printf("cluster on port %d, bin %s; press Enter to stop%n", pg.port(), pg.binDir());
            System.in.read();
        }
    }
}
