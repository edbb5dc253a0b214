package dev.cellar.cli;

import dev.cellar.app.CatalogService;
import dev.cellar.error.CellarException;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.catalog.MonitoringRow;
import dev.cellar.server.catalog.NagiosStatus;
import dev.cellar.server.catalog.StatusReport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = {"Show backup_monitoring: per database and backup type, the newest successful backup, "
        + "its age and OK / WARNING / CRITICAL (docs/catalog.md).",
        "Brings the catalog up to date from the repository first, so backups just taken show at once; "
                + "without a reachable repository it says so and shows what the catalog holds.",
        "Exits like a Nagios plugin: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (catalog unreadable, or nothing recorded yet)."},
        footer = {"", "Examples:",
                "  cellar status                              # the table, for a person",
                "  cellar status -d restaurant_ordering --json  # one database, for a script",
                "  cellar status --at 2027-03-01T08:00:00Z      # what the view would say then",
                "  command[check_cellar]=/usr/bin/cellar status   # NRPE: the exit code is the verdict"})
final class StatusCommand implements Callable<Integer> {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = {"-d", "--database"}, paramLabel = "NAME", description = "Only this database's rows.")
    String database;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Judge ages at this instant (ISO-8601, e.g. 2027-03-01T08:00:00Z) "
            + "instead of the catalog database's now().")
    Instant at;

    @Option(names = "--no-ingest", description = "Do not read the repository first; show what the catalog holds.")
    boolean noIngest;

    @Override
    public Integer call() {
        CommandContext context = CommandContext.load(common, null);
        Catalog catalog;
        try {
            catalog = Catalog.open(context.config().catalog());
        } catch (CellarException e) {
            return unknown(e);
        }
        try (catalog) {
            StatusReport report = new CatalogService(context.app(), catalog).status(database, at, !noIngest);
            new Output(System.out, common.json).result(report, render(report));
            return report.status().exitCode();
        } catch (CellarException e) {
            return unknown(e);
        }
    }

    private static int unknown(CellarException e) {
        System.err.println("error: " + e.getMessage());
        if (e.hint() != null) {
            System.err.println("HINT: " + e.hint());
        }
        System.out.println("UNKNOWN: the catalog cannot be read");
        return NagiosStatus.UNKNOWN.exitCode();
    }

    static String render(StatusReport report) {
        if (report.rows().isEmpty()) {
            return "UNKNOWN: no backup is recorded in the catalog yet";
        }
        ZoneId zone = ZoneId.systemDefault();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-24s %-9s %-22s %-9s %-8s %10s %9s%n",
                "DATABASE", "TYPE", "LAST SUCCESS", "AGE", "STATUS", "SIZE MB", "MINUTES"));
        for (MonitoringRow row : report.rows()) {
            text.append(String.format(Locale.ROOT, "%-24s %-9s %-22s %-9s %-8s %10s %9s%n", row.database(), row.backupType(),
                    row.lastBackup() == null ? "never" : LOCAL.format(row.lastBackup().atZone(zone)), age(row.age()), row.status(),
                    row.backupSizeMb() == null ? "-" : row.backupSizeMb().toPlainString(),
                    row.durationMinutes() == null ? "-" : row.durationMinutes().toPlainString()));
        }
        text.append(report.status()).append(" at ").append(LOCAL.format(report.at().atZone(zone)));
        return text.toString();
    }

    private static String age(Duration age) {
        if (age == null) {
            return "-";
        }
        long minutes = age.toMinutes();
        return minutes < 60 ? minutes + "m" : minutes / 60 + "h" + String.format(Locale.ROOT, "%02d", minutes % 60) + "m";
    }
}
