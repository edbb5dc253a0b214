package dev.cellar.cli;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.SnapshotSession;
import dev.cellar.sample.SampleLoadResult;
import dev.cellar.sample.SampleLoader;
import dev.cellar.sample.SampleSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "load", description = {"Create the restaurant_ordering schema and fill it with deterministic history (cafes, menus, users and their activity, orders partitioned by month, items, payments, inventory, employees, audit logs).",
                "Scale 1 is about 10 MB; scale 100 about 1 GB. The same scale, seed and end date give identical "
                        + "data. The target database (database.name, -d) is created if missing and must not already hold "
                        + "the schema."})
final class SampleLoadCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "1", description = "Size multiplier (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: a fixed one).")
    Long seed;

    @Option(names = "--end-date", paramLabel = "YYYY-MM-DD", description = "Last day of generated history (default: a fixed date).")
    LocalDate endDate;

    @Option(names = "--history-years", paramLabel = "N", defaultValue = "3",
            description = "Years of history, 1 to 15 (default: ${DEFAULT-VALUE}). Use 8 to give every retention rule "
                    + "of the shipped policy rows to act on (docs/sample-database.md).")
    int historyYears;

    @Override
    public Integer call() {
        PgConnectionSpec target;
        try (CommandContext context = CommandContext.load(common, database)) {
            target = context.database();
        }
        createIfMissing(target);
        SampleSpec spec = new SampleSpec(scale, seed != null ? seed : SampleSpec.DEFAULT_SEED, endDate != null ? endDate : SampleSpec.DEFAULT_END_DATE,
                historyYears);
        SampleLoadResult result;
        try (Connection c = target.connect()) {
            result = SampleLoader.load(c, spec);
        } catch (SQLException e) {
            throw target.unreachable(e);
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "loaded %,d rows into %s in %.1f s%n", result.totalRows(),
                target.describe(), result.duration().toMillis() / 1000.0));
        for (Map.Entry<String, Long> table : result.rowsPerTable().entrySet()) {
            text.append(String.format(Locale.ROOT, "  %-28s %,12d%n", table.getKey(), table.getValue()));
        }
        new Output(System.out, common.json).result(result, text.toString());
        return 0;
    }

    private static void createIfMissing(PgConnectionSpec target) {
        try (Connection c = target.withDatabase("postgres").connect(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = " + quoteLiteral(target.database()))) {
            if (!rs.next()) {
                st.execute("CREATE DATABASE " + SnapshotSession.quoteIdentifier(target.database()));
            }
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot create database " + target.database() + ": " + e.getMessage());
        }
    }

    private static String quoteLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
