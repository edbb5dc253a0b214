package dev.cellar.config;

import java.nio.file.Path;

/**
 * Where the PostgreSQL programs ({@code pg_dump}, {@code pg_restore}, ...) are installed, and
 * where the cluster keeps its files.
 *
 * @param binDir  the folder holding them; null to find them through {@code pg_config} or the PATH
 * @param dataDir the cluster's data directory, for physical backups (Cellar runs on the database
 *                host); null to ask the server ({@code SHOW data_directory})
 */
public record PostgresConfig(Path binDir, Path dataDir) {
}
