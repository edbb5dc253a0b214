package dev.cellar.server.catalog;

import dev.cellar.pg.LocalCluster;
import org.postgresql.ds.PGSimpleDataSource;

/** A catalog database on a test cluster, migrated as the server migrates it. */
public final class TestCatalogs {
    private TestCatalogs() {
    }

    /** Creates {@code database} on {@code cluster} (unless it is {@code postgres}) and brings the catalog's schema into it. */
    public static PGSimpleDataSource migrated(LocalCluster cluster, String database) {
        if (!database.equals("postgres")) {
            cluster.createDatabase(database);
        }
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(cluster.jdbcUrl(database));
        source.setUser(cluster.superuser());
        CatalogMigrations.migrate(source);
        return source;
    }
}
