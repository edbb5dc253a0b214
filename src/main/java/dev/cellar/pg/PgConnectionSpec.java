package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
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
 * would show it) and is left out of {@link #toString()}.
 */
public record PgConnectionSpec(String host, int port, String user, String database, char[] password) {

    public PgConnectionSpec withDatabase(String other) {
        return new PgConnectionSpec(host, port, user, other, password);
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
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", new String(password));
        }
        properties.setProperty("ApplicationName", "cellar");
        properties.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(jdbcUrl(), properties);
        } catch (SQLException e) {
            throw unreachable(e);
        }
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
        return env;
    }

    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    public CellarException unreachable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String hint = switch (state) {
            case "28P01", "28000" -> "check database.user and the password (PGPASSWORD, database.password-file, ~/.pgpass)";
            case "3D000" -> "check database.name: that database does not exist on the server";
            default -> "check that PostgreSQL runs and accepts TCP connections on " + host + ":" + port
                    + " (database.host / database.port, listen_addresses, pg_hba.conf)";
        };
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE,
                "cannot connect to database " + describe() + ": " + firstLine(e.getMessage()), hint, e);
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
