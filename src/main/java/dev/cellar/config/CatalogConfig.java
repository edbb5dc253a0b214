package dev.cellar.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the catalog (backup_log, backup_monitoring) lives: a PostgreSQL the site chose
 * ({@code catalog.url}), or, without one, an embedded cluster under {@code stateDir/catalog}.
 *
 * @param url      a {@code jdbc:postgresql://} URL, or null for the embedded catalog
 * @param user     role to connect as (null: the driver's default, the OS user)
 * @param password where the password comes from; null to leave it to the driver ({@code ~/.pgpass})
 * @param stateDir the server's state folder: the embedded catalog, and later the daemon's own files
 */
public record CatalogConfig(String url, String user, SecretSource password, Path stateDir) {
    public static final String URL_PREFIX = "jdbc:postgresql:";
    static final Path SYSTEM_STATE_DIR = Path.of("/var/lib/cellar");

    public CatalogConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        if (password != null && password.secret() != SecretName.CATALOG_PASSWORD) {
            throw new IllegalArgumentException("password source is for " + password.secret().key());
        }
    }

    /** Whether the site named its own PostgreSQL; otherwise the embedded catalog is used. */
    public boolean external() {
        return url != null;
    }

    /** The folder of the embedded catalog cluster. */
    public Path embeddedDir() {
        return stateDir.resolve("catalog");
    }

    /**
     * {@code /var/lib/cellar} where this user may write it (a service account, root), else the
     * user's own {@code $XDG_STATE_HOME/cellar} ({@code ~/.local/state/cellar}): a DBA trying
     * Cellar from a shell gets a catalog without asking anyone for a system folder.
     */
    static Path defaultStateDir() {
        if (Files.isDirectory(SYSTEM_STATE_DIR) ? Files.isWritable(SYSTEM_STATE_DIR) : Files.isWritable(SYSTEM_STATE_DIR.getParent())) {
            return SYSTEM_STATE_DIR;
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("cellar");
    }
}
