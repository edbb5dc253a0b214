package dev.cellar.server.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cellar.config.CatalogConfig;
import dev.cellar.config.ConsolePrompter;
import dev.cellar.config.SecretPrompter;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PersistentCluster;
import dev.cellar.pg.PgBinaries;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import javax.sql.DataSource;

/**
 * The catalog database, open and migrated: a small connection pool on the PostgreSQL named by
 * {@code catalog.url}, or on the embedded cluster kept under the server's state folder. The
 * other parts of the server (scheduler, alerts, metrics) use its {@link #dataSource()}.
 */
public final class Catalog implements AutoCloseable {
    /** The schema everything of the catalog lives in. */
    public static final String SCHEMA = "cellar";
    static final String EMBEDDED_DATABASE = "cellar";
    private static final int POOL_SIZE = 4;

    private final HikariDataSource pool;
    private final String description;

    private Catalog(HikariDataSource pool, String description) {
        this.pool = pool;
        this.description = description;
    }

    /** Opens the catalog the configuration names (starting the embedded one if needed) and migrates its schema. */
    public static Catalog open(CatalogConfig config) {
        return open(config, new ConsolePrompter());
    }

    /** As {@link #open(CatalogConfig)}, asking {@code prompter} for a catalog password configured as a prompt (the daemon never prompts). */
    public static Catalog open(CatalogConfig config, SecretPrompter prompter) {
        return config.external() ? openExternal(config, prompter) : openEmbedded(config.embeddedDir());
    }

    /** Opens (starting it if it is not running) the embedded catalog in {@code folder}. */
    public static Catalog openEmbedded(Path folder) {
        PersistentCluster.Endpoint endpoint = PersistentCluster.startOrAttach(folder, PgBinaries.locate(null));
        createDatabaseIfMissing(endpoint);
        return connect(endpoint.jdbcUrl(EMBEDDED_DATABASE), endpoint.user(), endpoint.password(),
                "the embedded catalog in " + folder + " (" + endpoint.host() + ":" + endpoint.port() + ")");
    }

    private static Catalog openExternal(CatalogConfig config, SecretPrompter prompter) {
        String password = null;
        if (config.password() != null) {
            char[] secret = config.password().resolve(prompter);
            password = new String(secret);
            Arrays.fill(secret, '\0');
        }
        return connect(config.url(), config.user(), password, "the catalog at " + config.url());
    }

    private static Catalog connect(String url, String user, String password, String description) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (user != null) {
            hikari.setUsername(user);
        }
        if (password != null) {
            hikari.setPassword(password);
        }
        hikari.setMaximumPoolSize(POOL_SIZE);
        hikari.setMinimumIdle(1);
        hikari.setPoolName("cellar-catalog");
        hikari.setConnectionTimeout(10_000);
        hikari.setInitializationFailTimeout(10_000);
        hikari.addDataSourceProperty("ApplicationName", "cellar-catalog");
        hikari.setConnectionInitSql("SET search_path = " + SCHEMA);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot connect to " + description + ": " + rootMessage(e),
                    "check catalog.url, catalog.user and the password (catalog.password-file), and that the server runs", e);
        }
        Catalog catalog = new Catalog(pool, description);
        try {
            CatalogMigrations.migrate(pool);
        } catch (RuntimeException e) {
            catalog.close();
            throw e;
        }
        return catalog;
    }

    private static void createDatabaseIfMissing(PersistentCluster.Endpoint endpoint) {
        try (Connection c = java.sql.DriverManager.getConnection(endpoint.jdbcUrl("postgres"), endpoint.user(), endpoint.password());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + EMBEDDED_DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + EMBEDDED_DATABASE);
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // another process created it a moment ago
            }
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot prepare the embedded catalog on " + endpoint.host() + ":"
                    + endpoint.port() + ": " + e.getMessage(), "read the catalog's postgres.log in the server's state folder", e);
        }
    }

    /**
     * A connection of its own, outside the pool, for a session held as long as a task runs (a
     * session advisory lock): the pool's few connections stay free for the scheduler and the
     * observation rounds however many such sessions there are. The caller closes it.
     */
    public Connection openSession() throws SQLException {
        Connection connection = java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
        try (Statement s = connection.createStatement()) {
            s.execute("SET search_path = " + SCHEMA);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The pool; connections start with {@code search_path = cellar}. */
    public DataSource dataSource() {
        return pool;
    }

    /** The catalog database's clock ({@code now()}): leases and heartbeats of several nodes agree on it. */
    public Instant now() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /** Where the catalog is, for messages (never its password). */
    public String describe() {
        return description;
    }

    CellarException unreadable(SQLException e) {
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot use " + description + ": " + e.getMessage(),
                "check that the catalog's PostgreSQL runs; 'cellar catalog rebuild' refills it from the repository", e);
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
