package dev.cellar.drill.check;

import dev.cellar.error.CellarException;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks for corrupt heap pages and B-tree indexes in the restored copy: pg_amcheck when it is
 * installed, else the amcheck extension's functions through SQL, else a skipped result saying so.
 * B-tree indexes are checked with heapallindexed (every heap tuple must be found in each index):
 * it costs a second pass over each table, seconds on a drill-sized copy, and it is what finds an
 * index that lost entries, the damage a torn restore leaves.
 */
final class AmcheckCheck {
    private static final int CORRUPTION_FOUND = 2;

    private static final String HEAPS_SQL = """
            SELECT c.oid, format('%I.%I', n.nspname, c.relname)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'm', 't') AND c.relpersistence <> 't'
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_temp'
             ORDER BY 2
            """;
    private static final String BTREES_SQL = """
            SELECT c.oid, format('%I.%I', n.nspname, c.relname)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_am am ON am.oid = c.relam
             WHERE am.amname = 'btree' AND c.relkind = 'i' AND i.indisvalid AND i.indisready AND c.relpersistence <> 't'
               AND n.nspname NOT IN ('information_schema') AND n.nspname !~ '^pg_(temp|toast)'
             ORDER BY 2
            """;

    private AmcheckCheck() {
    }

    static List<CheckResult> run(Connection c, PgConnectionSpec restored, Path binDir) {
        Optional<Path> program = pgAmcheck(binDir);
        if (program.isPresent()) {
            return withProgram(program.get(), restored);
        }
        return throughSql(c);
    }

    private static Optional<Path> pgAmcheck(Path binDir) {
        try {
            // a configured bin folder is searched alone, as for every other program: its pg_amcheck matches its server
            return Optional.of(PgBinaries.locate(binDir).path("pg_amcheck"));
        } catch (CellarException notInstalled) {
            return Optional.empty();
        }
    }

    private static List<CheckResult> withProgram(Path program, PgConnectionSpec restored) {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(restored.libpqArguments());
        command.addAll(List.of("--install-missing", "--heapallindexed", restored.database()));
        ProcessResult result = ProcessRunner.run(command, restored.libpqEnvironment(), null);
        List<CheckResult> corrupt = AmcheckReport.parse(result.stdout());
        if (!corrupt.isEmpty()) {
            return corrupt;
        }
        if (result.exitCode() == 0) {
            return List.of(CheckResult.passed("amcheck", "", "pg_amcheck --heapallindexed found no corrupt table or B-tree index"));
        }
        String why = result.stderrTail().isBlank() ? result.stdout().strip() : result.stderrTail().strip();
        return List.of(CheckResult.failed("amcheck", "", result.exitCode() == CORRUPTION_FOUND
                ? "pg_amcheck reported corruption: " + why
                : "pg_amcheck could not check the copy (exit " + result.exitCode() + "): " + why));
    }

    private static List<CheckResult> throughSql(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS amcheck");
        } catch (SQLException e) {
            return List.of(CheckResult.skipped("amcheck", "", "neither pg_amcheck nor the amcheck extension is available ("
                    + StatementTimeout.describe(e, CheckSet.DEFAULT_STATEMENT_TIMEOUT)
                    + "); install the PostgreSQL contrib package of the server's version"));
        }
        List<CheckResult> results = new ArrayList<>();
        int heaps = checkEach(c, HEAPS_SQL, "SELECT blkno, offnum, msg FROM verify_heapam(?::oid::regclass)", "heap table", results);
        int indexes = checkEach(c, BTREES_SQL, "SELECT bt_index_check(?::oid::regclass, true)", "btree index", results);
        if (results.isEmpty()) {
            results.add(CheckResult.passed("amcheck", "", "amcheck (SQL) found no corrupt page in " + heaps + " table(s) and "
                    + indexes + " B-tree index(es), heapallindexed"));
        }
        return results;
    }

    /** Checks each relation listed by {@code listSql}; adds a failure per corrupt one; returns how many were checked. */
    private static int checkEach(Connection c, String listSql, String checkSql, String kind, List<CheckResult> results) {
        List<Long> oids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(listSql)) {
            while (rs.next()) {
                oids.add(rs.getLong(1));
                names.add(rs.getString(2));
            }
        } catch (SQLException e) {
            results.add(CheckResult.failed("amcheck", "", "cannot list the " + kind + "s to check: " + e.getMessage()));
            return 0;
        }
        for (int i = 0; i < oids.size(); i++) {
            try (var ps = c.prepareStatement(checkSql)) {
                ps.setLong(1, oids.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    // verify_heapam returns one row per problem; bt_index_check returns one void row and raises on corruption
                    if (kind.equals("heap table") && rs.next()) {
                        results.add(CheckResult.failed("amcheck", names.get(i), kind + " " + names.get(i) + " is corrupt: block "
                                + rs.getLong(1) + ", offset " + rs.getInt(2) + ": " + rs.getString(3)));
                    }
                }
            } catch (SQLException e) {
                results.add(CheckResult.failed("amcheck", names.get(i), kind + " " + names.get(i) + " is corrupt: "
                        + StatementTimeout.describe(e, CheckSet.DEFAULT_STATEMENT_TIMEOUT)));
            }
        }
        return oids.size();
    }
}
