package dev.cellar.globals;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgServerInfo;
import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Takes a cluster's globals with the real {@code pg_dumpall --globals-only}. Role passwords live
 * in {@code pg_authid}, which only superusers (and {@code pg_read_all_data}) may read; for any
 * other backup role the script is taken with {@code --no-role-passwords}, and that is recorded.
 */
public final class GlobalsCapture {

    private GlobalsCapture() {
    }

    /** @param connection any database of the cluster; pg_dumpall connects to it */
    public static ClusterGlobals take(PgConnectionSpec connection, PgServerInfo server, PgBinaries binaries, Clock clock) {
        binaries.requireAtLeast("pg_dumpall", server.version());
        boolean passwordsReadable;
        List<String> databases;
        try (Connection c = connection.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT has_table_privilege('pg_catalog.pg_authid', 'SELECT')")) {
                rs.next();
                passwordsReadable = rs.getBoolean(1);
            }
            databases = databases(st);
        } catch (SQLException e) {
            throw connection.unreachable(e);
        }
        List<String> args = new ArrayList<>(List.of(binaries.path("pg_dumpall").toString()));
        args.addAll(connection.libpqArguments());
        args.add("--globals-only");
        args.add("--database=" + connection.database());
        if (!passwordsReadable) {
            args.add("--no-role-passwords");
        }
        ProcessResult result = ProcessRunner.run(args, connection.libpqEnvironment(), null);
        if (!result.succeeded()) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "pg_dumpall --globals-only failed on " + connection.describe()
                    + " (exit code " + result.exitCode() + "): " + result.stderrTail().strip(),
                    "the backup role must be able to read the role and tablespace catalogs; nothing was committed to the repository");
        }
        return new ClusterGlobals(ClusterGlobals.FORMAT_VERSION, clock.instant(), server.versionString(),
                binaries.version("pg_dumpall").toString(), passwordsReadable, databases, withoutRestrictLines(result.stdout()));
    }

    /** The databases a whole-cluster backup takes: all that accept connections, except the two templates. */
    static List<String> databases(Statement st) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datallowconn"
                + " AND datname NOT IN ('template0', 'template1') ORDER BY datname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * pg_dumpall brackets its script in psql meta-commands ("restrict KEY" and "unrestrict KEY") with a key
     * drawn per run: they protect a psql replay, which Cellar never does, and would make two
     * captures of unchanged globals differ (and so never share chunks).
     */
    static String withoutRestrictLines(String script) {
        return script.lines().filter(line -> !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
