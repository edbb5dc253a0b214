package dev.cellar.pg;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A database's schema as pg_dump prints it, stripped of what differs between two dumps of equal
 * schemas (comments, session settings, the random keys of {@code \restrict}), so tests can compare
 * a restored schema with the original as plain text.
 */
public final class SchemaDumps {

    private SchemaDumps() {
    }

    public static String normalizedSchema(LocalCluster cluster, String db) {
        return normalized(dump(cluster, db, "--no-owner", "--no-privileges"));
    }

    /**
     * The schema with everything that ties it to its cluster: owners, privileges (table, column,
     * default), and with {@code --create} the database's own owner, settings ({@code ALTER DATABASE
     * … SET}, {@code ALTER ROLE … IN DATABASE … SET}), ACL, comment and connection limit.
     */
    public static String normalizedCreateScript(LocalCluster cluster, String db) {
        return normalized(dump(cluster, db, "--create"));
    }

    private static String dump(LocalCluster cluster, String db, String... options) {
        List<String> command = new java.util.ArrayList<>(List.of(cluster.binaries().path("pg_dump").toString(),
                "-h", cluster.host(), "-p", String.valueOf(cluster.port()), "-U", cluster.superuser(), "--schema-only"));
        command.addAll(List.of(options));
        command.add(db);
        return ProcessRunner.requireSuccess(command, Map.of(), null).stdout();
    }

    private static String normalized(String dump) {
        return dump.lines()
                .filter(line -> !line.isBlank())
                .filter(line -> !line.startsWith("--"))
                .filter(line -> !line.startsWith("SET ") && !line.startsWith("SELECT pg_catalog.set_config"))
                .filter(line -> !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
                .collect(Collectors.joining("\n"));
    }
}
