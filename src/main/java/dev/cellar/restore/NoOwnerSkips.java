package dev.cellar.restore;

import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code pg_restore --no-owner --no-privileges} leaves out of an archive, found by pg_restore
 * itself: the schema script with ownership and privileges, minus the one without them. Comparing
 * whole lines of two scripts of the same archive, nothing else differs, and a function body that
 * happens to contain {@code GRANT} is in both and cancels out.
 */
final class NoOwnerSkips {

    private NoOwnerSkips() {
    }

    /** @param selection pg_restore options that pick what is restored (such as {@code --use-list=…}), or none */
    static List<String> of(PgBinaries binaries, Path archive, List<String> selection) {
        List<String> full = schemaScript(binaries, archive, selection, List.of());
        Map<String, Integer> without = counts(schemaScript(binaries, archive, selection, List.of("--no-owner", "--no-privileges")));
        List<String> skipped = new ArrayList<>();
        for (String line : full) {
            Integer left = without.get(line);
            if (left == null || left == 0) {
                skipped.add(line);
            } else {
                without.put(line, left - 1);
            }
        }
        return skipped;
    }

    private static List<String> schemaScript(PgBinaries binaries, Path archive, List<String> selection, List<String> options) {
        List<String> command = new ArrayList<>(List.of(binaries.path("pg_restore").toString(), "--schema-only", "--file=-"));
        command.addAll(selection);
        command.addAll(options);
        command.add(archive.toString());
        ProcessResult result = ProcessRunner.run(command, Map.of(), null);
        if (!result.succeeded()) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "pg_restore could not list what --no-owner skips (exit code "
                    + result.exitCode() + "): " + result.stderrTail().strip(), "the restore itself succeeded; rerun it to see the list");
        }
        return result.stdout().lines().filter(NoOwnerSkips::isStatementLine).toList();
    }

    /** Blank lines, comments (which name owners) and psql meta-commands (with per-run keys) are not statements. */
    private static boolean isStatementLine(String line) {
        return !line.isBlank() && !line.startsWith("--") && !line.startsWith("\\");
    }

    private static Map<String, Integer> counts(List<String> lines) {
        Map<String, Integer> counts = new HashMap<>();
        lines.forEach(line -> counts.merge(line, 1, Integer::sum));
        return counts;
    }
}
