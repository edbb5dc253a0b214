package dev.cellar.it;

import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.sample.SampleLoader;
import dev.cellar.sample.SampleSpec;
import java.sql.Connection;
import java.sql.SQLException;

/** Loads the databases the integration tests back up: the restaurant reference data and pgbench. */
public final class TestDatabases {
    public static final String RESTAURANT = "restaurant_ordering";
    public static final String PGBENCH = "pgbench";

    private TestDatabases() {
    }

    public static void loadRestaurant(LocalCluster cluster, String database, int scale) {
        cluster.createDatabase(database);
        try (Connection c = cluster.connect(database)) {
            SampleLoader.load(c, SampleSpec.ofScale(scale));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    public static void loadPgbench(LocalCluster cluster, String database, int scale) {
        cluster.createDatabase(database);
        cluster.pgbench(database, "-i", "-q", "-s", Integer.toString(scale));
    }

    public static PgConnectionSpec spec(LocalCluster cluster, String database) {
        return new PgConnectionSpec(cluster.host(), cluster.port(), cluster.superuser(), database, null);
    }
}
