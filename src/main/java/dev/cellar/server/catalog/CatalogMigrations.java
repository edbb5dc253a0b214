package dev.cellar.server.catalog;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the catalog's schema to this version of Cellar with Flyway, from {@code db/catalog}.
 * Each part of the server owns its own numbered migration there (V1 catalog, V2 job runs, V3 alerts).
 */
public final class CatalogMigrations {
    static final String LOCATION = "classpath:db/catalog";

    private CatalogMigrations() {
    }

    /** Applies what is pending; returns how many migrations ran (0 when the schema is current). */
    public static int migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure(CatalogMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(Catalog.SCHEMA)
                .defaultSchema(Catalog.SCHEMA)
                .createSchemas(true)
                .locations(LOCATION)
                // two nodes starting at once: Flyway's own lock makes the second wait, then find nothing to do
                .load();
        try {
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot migrate the catalog's schema: " + e.getMessage(),
                    "a catalog written by a newer Cellar cannot be used by this one; upgrade, or point catalog.url at another database", e);
        }
    }
}
