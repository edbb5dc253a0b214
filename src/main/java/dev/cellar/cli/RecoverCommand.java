package dev.cellar.cli;

import dev.cellar.app.PitrRestoreService;
import dev.cellar.app.RecoverService;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.recover.RecoverResult;
import dev.cellar.recover.RecoverStep;
import dev.cellar.recover.StepListener;
import dev.cellar.restore.RecoveryTarget;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "recover", description = {"Full recovery of the configured database in one command: run recover.pre-hooks "
        + "(e.g. systemctl stop restaurant-api nginx), replace the database with a logical backup, run recover.post-hooks "
        + "(systemctl start ...). Every step is printed as it runs.",
        "The backup is read and authenticated before anything runs. A database with other sessions is refused (exit 25, "
                + "naming them) unless --force, which ends them after the pre-hooks. New connections are refused while the "
                + "restore runs. The backup is restored into a new database beside the old one, which is replaced only when the "
                + "restore succeeded: a failed restore leaves the old database, and the post-hooks still run. A failing pre-hook "
                + "stops the recovery before the database is touched, without the post-hooks (exit 26).",
        "With --physical --data-dir DIR: the same hooks around a point-in-time restore into DIR (its contents are deleted "
                + "first, PostgreSQL is started and recovers to --to TIME or the latest archived WAL). Hooks run through /bin/sh -c. "
                + "See docs/recover.md."},
        footer = {"", "Examples:",
                "  cellar recover --dry-run                          # print every step, run none",
                "  cellar recover -d restaurant_ordering --yes       # latest backup, hooks from cellar.yaml",
                "  cellar recover --backup 20261203T0100-ab12 --force --yes",
                "  cellar recover --physical --data-dir /var/lib/postgresql/17/main --to '2026-12-03 09:40:00+01' --yes"})
final class RecoverCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions databaseOptions;

    @Option(names = "--database", paramLabel = "NAME", description = "The database to recover (default: database.name; same as -d).")
    String database;

    @Option(names = "--backup", paramLabel = "ID", defaultValue = "latest", description = "Backup id, or 'latest' (default) of the database.")
    String backupId;

    @Option(names = "--force", description = "End the other sessions on the database after the pre-hooks (logical), or stop a server "
            + "still running in --data-dir with pg_ctl stop -m fast (physical).")
    boolean force;

    @Option(names = "--dry-run", description = "Print every step, run none (reads the backup's manifest and the sessions only); exit 0.")
    boolean dryRun;

    @Option(names = "--yes", description = "Do not ask for confirmation (needed when not at a terminal).")
    boolean yes;

    @Option(names = "--maintenance-db", paramLabel = "NAME", defaultValue = "postgres",
            description = "Database to connect to for CREATE/ALTER/DROP DATABASE (default: ${DEFAULT-VALUE}).")
    String maintenanceDatabase;

    @Option(names = "--physical", description = "Point-in-time restore into --data-dir instead of a logical one.")
    boolean physical;

    @Option(names = {"-D", "--data-dir"}, paramLabel = "DIR", description = "With --physical: the production data directory.")
    Path dataDir;

    @Option(names = "--to", paramLabel = "TIME", description = "With --physical: recover to this time, e.g. '2026-12-03 09:40:00+01'.")
    String to;

    @Option(names = "--to-latest", description = "With --physical: replay everything archived (the default).")
    boolean toLatest;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600", description = "With --physical: longest wait for "
            + "recovery (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Mixin
    JobsOption jobs;

    @Override
    public Integer call() {
        if (database != null) {
            if (databaseOptions.name != null && !databaseOptions.name.equals(database)) {
                throw new CellarException(ErrorCode.USAGE, "--database and -d name different databases", "give one of them");
            }
            databaseOptions.name = database;
        }
        if (!physical && (dataDir != null || to != null || toLatest)) {
            throw new CellarException(ErrorCode.USAGE, "--data-dir, --to and --to-latest belong to a physical recovery", "add --physical");
        }
        if (physical && dataDir == null) {
            throw new CellarException(ErrorCode.USAGE, "--physical needs --data-dir DIR (the production data directory)", "cellar recover --help");
        }
        if (to != null && toLatest) {
            throw new CellarException(ErrorCode.USAGE, "--to and --to-latest exclude each other");
        }
        try (CommandContext context = CommandContext.load(common, databaseOptions)) {
            CellarConfig config = context.config();
            if (!physical) {
                requireNamedDatabase(config);
            }
            confirm(config);
            StepListener listener = context.json() ? StepListener.NONE : new PrintingListener(System.out);
            RecoverService service = new RecoverService(context.app());
            RecoverResult result;
            if (physical) {
                RecoveryTarget target = to == null ? RecoveryTarget.latest("latest", "promote")
                        : RecoveryTarget.time(to, true, "latest", "promote", ZoneId.systemDefault());
                Path configFile = ConfigLoader.configFile(common.config, System.getenv()).orElse(null);
                PitrRestoreService.Request pitr = new PitrRestoreService.Request(dataDir, true, "latest".equals(backupId) ? null : backupId,
                        // the production server keeps listening where database.port says; the ledger's erasures are re-applied through it
                        target, true, config.database().port(), false, Map.of(), jobs.or(config.backup()), Duration.ofSeconds(timeoutSeconds), null,
                        CellarInvocation.of(config, configFile));
                result = service.physical(new RecoverService.PhysicalRequest(pitr, force, dryRun), listener);
            } else {
                result = service.logical(new RecoverService.LogicalRequest(config.database().name(), backupId, force, dryRun,
                        jobs.or(config.backup()), maintenanceDatabase), listener);
            }
            context.output().result(result, summary(result));
            return result.ok() ? context.exitCode(0) : result.exitCode();
        }
    }

    /**
     * The database a recovery replaces is named, never libpq's default; and it is not the one
     * Cellar connects to in order to create, rename and drop databases.
     */
    private void requireNamedDatabase(CellarConfig config) {
        if (!config.database().nameGiven()) {
            throw new CellarException(ErrorCode.USAGE, "recover replaces a whole database and none is named",
                    "name it with -d NAME (or --database NAME, or database.name in cellar.yaml)");
        }
        if (config.database().name().equals(maintenanceDatabase)) {
            throw new CellarException(ErrorCode.USAGE, "database " + maintenanceDatabase + " is also the maintenance database recover "
                    + "connects to in order to replace it", "pass --maintenance-db template1 (or another database of the server)");
        }
    }

    /** A recovery replaces production: at a terminal it is confirmed; elsewhere --yes (or --dry-run) says so. */
    private void confirm(CellarConfig config) {
        if (yes || dryRun) {
            return;
        }
        String what = physical ? "data directory " + dataDir : "database " + config.database().name();
        if (System.console() == null) {
            throw new CellarException(ErrorCode.USAGE, "recover replaces " + what + " and needs --yes when not run at a terminal",
                    "add --yes, or try --dry-run first");
        }
        String answer = System.console().readLine("recover replaces %s on %s and runs %d pre-hook(s) and %d post-hook(s). Type yes to go on: ",
                what, config.database().host(), config.recover().preHooks().size(), config.recover().postHooks().size());
        if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
            throw new CellarException(ErrorCode.INTERRUPTED, "recover not confirmed; nothing was run");
        }
    }

    private static String summary(RecoverResult result) {
        StringBuilder text = new StringBuilder();
        if (result.dryRun()) {
            text.append("dry run: nothing was run or changed; a real run does the steps above in that order");
        } else if (result.ok()) {
            text.append("recovered ").append(result.mode().equals("logical") ? "database " : "").append(result.target())
                    .append(result.backupId() == null ? "" : " from backup " + result.backupId()).append(" in ").append(Output.seconds(result.duration()));
        } else {
            text.append("RECOVERY FAILED: ").append(result.error());
            if (result.hint() != null) {
                text.append("\nHINT: ").append(result.hint());
            }
        }
        return text.toString();
    }

    /** Prints each step as it starts, and its outcome (with what it said) as it ends. */
    private static final class PrintingListener implements StepListener {
        private final PrintStream out;

        PrintingListener(PrintStream out) {
            this.out = out;
        }

        @Override
        public void started(String name, String detail) {
            out.printf(Locale.ROOT, "-> %-17s %s%n", name, detail);
            out.flush();
        }

        @Override
        public void finished(RecoverStep step) {
            switch (step.outcome()) {
                case PLANNED -> out.printf(Locale.ROOT, "   %-17s %s  (dry run: not run)%n", step.name(), step.detail());
                case SKIPPED -> out.printf(Locale.ROOT, "   %-17s %s  (skipped: %s)%n", step.name(), step.detail(), step.output());
                default -> {
                    out.printf(Locale.ROOT, "   %-17s %s in %s%n", step.name(), step.outcome() == RecoverStep.Outcome.DONE ? "done" : "FAILED",
                            Output.seconds(step.duration()));
                    if (!step.output().isEmpty()) {
                        step.output().lines().forEach(line -> out.println("      " + line));
                    }
                }
            }
            out.flush();
        }
    }
}
