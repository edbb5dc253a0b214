package dev.cellar.cli;

import dev.cellar.app.DrillService;
import dev.cellar.config.ConfigLoader;
import dev.cellar.drill.DrillReport;
import dev.cellar.drill.ObjectiveDuration;
import dev.cellar.drill.ObjectiveVerdict;
import dev.cellar.drill.RestoredCopy;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "drill", description = {"A disaster-recovery drill: restore the latest backups into scratch locations on this host, "
        + "check them, measure RTO and RPO, and fail when an objective is missed.",
        "The drill writes marker rows into the source database (schema cellar_drill, the only thing it writes there), a restore "
                + "point, then a heartbeat every 100 ms whose last commit is the disaster moment. It restores the latest logical "
                + "backup into a scratch database, and the physical backup + WAL into a scratch cluster twice: to its restore point "
                + "(checking that exactly the rows before it are there) and to the latest WAL (the newest heartbeat recovered gives "
                + "the RPO). Each copy is checked; RTO is the time to the slowest copy ready.",
        "Scratch databases and clusters are removed whatever happens. The report (JSON, Markdown, HTML) is stored signed in "
                + "the repository and the drill is in 'cellar audit'. Exit code 24 when the drill failed (docs/drills.md)."},
        footer = {"", "Examples:",
                "  cellar drill -d restaurant_ordering                       # objectives from drill.* and the data policy",
                "  cellar drill --only physical --rpo-objective 1m",
                "  cellar drill --keep-report /srv/audit/drills --json"})
final class DrillCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--database", paramLabel = "NAME", description = "The database to drill (like -d; default database.name).")
    String databaseName;

    @Option(names = "--only", paramLabel = "logical|physical", description = "Restore only the logical or only the physical backup.")
    String only;

    @Option(names = "--rto-objective", paramLabel = "DURATION", description = "Overrides drill.rto-objective (default 4 hours), e.g. 30m.")
    String rtoObjective;

    @Option(names = "--rpo-objective", paramLabel = "DURATION", description = "Overrides drill.rpo-objective (default 15 minutes), e.g. 1s.")
    String rpoObjective;

    @Option(names = "--keep-report", paramLabel = "DIR", description = "Also write the report's files and their signatures into DIR.")
    Path keepReport;

    @Override
    public Integer call() {
        if (only != null && !only.equals("logical") && !only.equals("physical")) {
            throw new CellarException(ErrorCode.USAGE, "--only must be logical or physical, got '" + only + "'");
        }
        Duration rto = objective("--rto-objective", rtoObjective);
        Duration rpo = objective("--rpo-objective", rpoObjective);
        if (databaseName != null) {
            database.name = databaseName;
        }
        try (CommandContext context = CommandContext.load(common, database)) {
            Path configFile = ConfigLoader.configFile(common.config, System.getenv()).orElse(null);
            DrillService service = new DrillService(context.app());
            DrillService.Request request = new DrillService.Request(!"physical".equals(only), !"logical".equals(only), rto, rpo,
                    CellarInvocation.of(context.config(), configFile));
            DrillReport report;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                report = service.drill(request, progress);
            }
            List<Path> kept = keepReport == null ? List.of() : service.export(report.id(), keepReport);
            context.output().result(report, render(report, kept));
            return report.passed() ? 0 : ErrorCode.DRILL_FAILED.exitCode();
        }
    }

    private static Duration objective(String option, String text) {
        if (text == null) {
            return null;
        }
        return ObjectiveDuration.parse(text).orElseThrow(() -> new CellarException(ErrorCode.USAGE, option + " must be a duration like 15m, "
                + "4h, 1s or '30 minutes', got '" + text + "'"));
    }

    private static String render(DrillReport r, List<Path> kept) {
        StringBuilder text = new StringBuilder();
        text.append("drill ").append(r.id()).append(" of ").append(r.database()).append(": ").append(r.passed() ? "PASSED" : "FAILED").append('\n');
        for (RestoredCopy copy : r.copies()) {
            text.append("  ").append(copy.name()).append(": ").append(copy.ready() ? "ready" : "NOT READY").append(" after ")
                    .append(ObjectiveDuration.format(copy.rto())).append(" (backup ").append(copy.backupId()).append(", ")
                    .append(copy.checks().size()).append(" checks)\n");
        }
        text.append("  RTO ").append(ObjectiveDuration.format(r.rto())).append(", RPO ")
                .append(r.rpo() == null || r.rpo().rpo() == null ? "-" : ObjectiveDuration.format(r.rpo().rpo()) + " (" + r.rpo().method() + ")")
                .append('\n');
        for (ObjectiveVerdict v : r.verdicts()) {
            text.append("  ").append(v.measure()).append(" objective ").append(ObjectiveDuration.format(v.objective())).append(" (")
                    .append(v.scope()).append("): ").append(v.met() ? "met" : "MISSED").append('\n');
        }
        r.failures().forEach(f -> text.append("failure: ").append(f).append('\n'));
        text.append("report stored as reports/drill/").append(r.id()).append(" in the repository");
        kept.stream().filter(p -> !p.toString().endsWith(".sig")).forEach(p -> text.append("\n  kept ").append(p));
        return text.append('\n').toString();
    }
}
