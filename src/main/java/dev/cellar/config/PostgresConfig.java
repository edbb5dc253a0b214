package dev.cellar.config;

import java.nio.file.Path;

/**
 * Where the PostgreSQL programs ({@code pg_dump}, {@code pg_restore}, ...) are installed.
 *
 * @param binDir the folder holding them; null to find them through {@code pg_config} or the PATH
 */
public record PostgresConfig(Path binDir) {
}
