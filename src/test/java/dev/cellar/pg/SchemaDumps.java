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
        String dump = ProcessRunner.requireSuccess(List.of(cluster.binaries().path("pg_dump").toString(),
                "-h", cluster.host(), "-p", String.valueOf(cluster.port()), "-U", cluster.superuser(),
                "--schema-only", "--no-owner", "--no-privileges", db), Map.of(), null).stdout();
        return dump.lines()
                .filter(line -> !line.isBlank())
                .filter(line -> !line.startsWith("--"))
                .filter(line -> !line.startsWith("SET ") && !line.startsWith("SELECT pg_catalog.set_config"))
                .filter(line -> !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
                .collect(Collectors.joining("\n"));
    }
}
