package dev.cellar.pg;

import dev.cellar.config.DatabaseTls;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How to reach one database: the same coordinates for pgjdbc and for libpq programs. The
 * password travels to programs in {@code PGPASSWORD} (never on a command line, where {@code ps}
 * would show it) and is left out of {@link #toString()}. The TLS settings reach pgjdbc as
 * connection properties and libpq programs as {@code PGSSL*} variables, the same way.
 */
public record PgConnectionSpec(String host, int port, String user, String database, char[] password, DatabaseTls tls) {

    public PgConnectionSpec {
        tls = tls == null ? DatabaseTls.DEFAULT : tls;
    }

    /** With no TLS setting: libpq's defaults (sslmode=prefer). */
    public PgConnectionSpec(String host, int port, String user, String database, char[] password) {
        this(host, port, user, database, password, DatabaseTls.DEFAULT);
    }

    public PgConnectionSpec withDatabase(String other) {
        return new PgConnectionSpec(host, port, user, other, password, tls);
    }

    public String jdbcUrl() {
        String h = host.startsWith("/") ? "localhost" : host;
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(h).append(':').append(port).append('/')
                .append(java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8));
        if (host.startsWith("/")) {
            // pgjdbc cannot use Unix sockets without extra libraries; the caller sees a clear refusal
            throw new CellarException(ErrorCode.CONFIG_INVALID, "database.host '" + host + "' is a socket folder",
                    "use a TCP host such as 127.0.0.1 or localhost");
        }
        return url.toString();
    }

    public Connection connect() {
        Properties properties = jdbcProperties();
        properties.setProperty("ApplicationName", "cellar");
        try {
            return DriverManager.getConnection(jdbcUrl(), properties);
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    /**
     * The pgjdbc properties every connection here needs: login, timeout and TLS. pgjdbc has no
     * minimum-version property, so its libpq-compatible socket factory is wrapped by
     * {@link MinTlsVersionSocketFactory}, per connection rather than through a JVM-wide setting.
     */
    public Properties jdbcProperties() {
        tls.requireUsable();
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", new String(password));
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("sslmode", tls.mode().libpq());
        if (tls.rootCert() != null) {
            properties.setProperty("sslrootcert", tls.rootCert().toString());
        }
        if (tls.cert() != null) {
            properties.setProperty("sslcert", tls.cert().toString());
        }
        Path key = tls.key() != null ? tls.key() : libpqDefaultKey();
        if (key != null) {
            properties.setProperty("sslkey", key.toString());
        }
        properties.setProperty("sslfactory", MinTlsVersionSocketFactory.class.getName());
        properties.setProperty(MinTlsVersionSocketFactory.MIN_VERSION_PROPERTY, tls.minVersion().protocol());
        return properties;
    }

    /** libpq's default client key, which pgjdbc (looking for postgresql.pk8) would miss; null when absent. */
    private static Path libpqDefaultKey() {
        String home = System.getProperty("user.home");
        if (home == null) {
            return null;
        }
        Path key = Path.of(home, ".postgresql", "postgresql.key");
        return Files.isReadable(key) ? key : null;
    }

    /** Arguments that make a libpq program (pg_dump, pg_restore, psql) connect here. */
    public List<String> libpqArguments() {
        return new ArrayList<>(List.of("--host=" + host, "--port=" + port, "--username=" + user, "--no-password"));
    }

    /** Environment for libpq programs: the password, and no stray PG* settings of the caller's shell. */
    public Map<String, String> libpqEnvironment() {
        Map<String, String> env = new HashMap<>();
        if (password != null) {
            env.put("PGPASSWORD", new String(password));
        }
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "cellar");
        env.putAll(libpqTlsEnvironment());
        return env;
    }

    /**
     * The TLS settings as libpq's variables: in the environment, not on the command line, so the
     * process list shows none of them. Files left unset stay libpq's defaults.
     */
    public Map<String, String> libpqTlsEnvironment() {
        tls.requireUsable();
        Map<String, String> env = new HashMap<>();
        env.put("PGSSLMODE", tls.mode().libpq());
        env.put("PGSSLMINPROTOCOLVERSION", tls.minVersion().protocol());
        if (tls.rootCert() != null) {
            env.put("PGSSLROOTCERT", tls.rootCert().toString());
        }
        if (tls.cert() != null) {
            env.put("PGSSLCERT", tls.cert().toString());
        }
        if (tls.key() != null) {
            env.put("PGSSLKEY", tls.key().toString());
        }
        return env;
    }

    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    public CellarException unreachable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String text = e.getMessage() == null ? "" : e.getMessage();
        String hint = text.contains("SSL") || text.contains("certificate") ? tlsHint(text) : switch (state) {
            case "28P01", "28000" -> "check database.user and the password (PGPASSWORD, database.password-file, ~/.pgpass)";
            case "3D000" -> "check database.name: that database does not exist on the server";
            default -> "check that PostgreSQL runs and accepts TCP connections on " + host + ":" + port
                    + " (database.host / database.port, listen_addresses, pg_hba.conf)";
        };
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE,
                "cannot connect to database " + describe() + ": " + firstLine(e.getMessage()), hint, e);
    }

    /** Hints for a refused TLS negotiation: the server offers none, or its certificate does not check out. */
    private String tlsHint(String text) {
        if (text.contains("does not support SSL")) {
            return "the server offers no TLS but database.sslmode is " + tls.mode().libpq()
                    + ": set ssl = on in its postgresql.conf, or lower database.sslmode (docs/tls.md)";
        }
        if (text.contains("certificate") || text.contains("PKIX") || text.contains("hostname")) {
            return "the server's certificate did not check out against database.sslrootcert for " + host
                    + ": check the CA file, and that the certificate names this host (docs/tls.md)";
        }
        return "check database.sslmode, the certificate files and the server's ssl settings and pg_hba.conf (docs/tls.md)";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public String toString() {
        return "PgConnectionSpec[" + describe() + "]";
    }
}
