package dev.cellar.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** Options naming the PostgreSQL server and database, overriding the database.* settings. */
public final class DatabaseOptions {
    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "Database server host (database.host).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Database server port (database.port).")
    Integer port;

    @Option(names = {"-U", "--user"}, paramLabel = "USER", description = "Database user (database.user).")
    String user;

    @Option(names = {"-d", "--dbname"}, paramLabel = "NAME", description = "Database name (database.name).")
    String name;

    void addTo(Map<String, String> overrides) {
        if (host != null) {
            overrides.put("database.host", host);
        }
        if (port != null) {
            overrides.put("database.port", Integer.toString(port));
        }
        if (user != null) {
            overrides.put("database.user", user);
        }
        if (name != null) {
            overrides.put("database.name", name);
        }
    }
}
