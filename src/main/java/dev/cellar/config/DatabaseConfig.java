package dev.cellar.config;

import java.util.Objects;

/**
 * How to reach the PostgreSQL database to back up. Defaults follow libpq, so a DBA whose shell
 * already works with {@code psql} needs to configure little.
 *
 * @param password  where the password comes from; null to leave it to libpq's own means
 *                  ({@code ~/.pgpass}, peer or certificate authentication)
 * @param nameGiven whether {@code name} was set (file, environment, {@code PGDATABASE}, flag) rather
 *                  than defaulted: only a given name says whose backup "latest" means
 * @param tls       sslmode, certificate files and lowest TLS version of the connection
 */
public record DatabaseConfig(String host, int port, String user, String name, SecretSource password, boolean nameGiven,
        DatabaseTls tls) {
    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_NAME = "postgres";

    public DatabaseConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tls, "tls");
        ConfigKey.DATABASE_PORT.checkRange(port);
        if (password != null && password.secret() != SecretName.DATABASE_PASSWORD) {
            throw new IllegalArgumentException("password source is for " + password.secret().key());
        }
    }

    /** With no TLS setting: libpq's defaults. */
    public DatabaseConfig(String host, int port, String user, String name, SecretSource password, boolean nameGiven) {
        this(host, port, user, name, password, nameGiven, DatabaseTls.DEFAULT);
    }

    /** With the database named explicitly. */
    public DatabaseConfig(String host, int port, String user, String name, SecretSource password) {
        this(host, port, user, name, password, true);
    }
}
