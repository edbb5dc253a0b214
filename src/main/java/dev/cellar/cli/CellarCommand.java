package dev.cellar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Root of the command line: {@code cellar <command>}. Exit codes are listed in docs/exit-codes.md. */
@Command(name = "cellar", version = "cellar 0.1.0", usageHelpAutoWidth = true,
        description = "Backup, restore and verification for PostgreSQL.",
        subcommands = {InitCommand.class, BackupCommand.class, ListCommand.class, ShowCommand.class, RestoreCommand.class,
                VerifyCommand.class, ExpireCommand.class, RepoCommand.class, GcCommand.class, WalCommand.class, AuditCommand.class, UnlockCommand.class,
                CloudCommand.class, DemoCommand.class, SampleCommand.class, StatusCommand.class, CatalogCommand.class, ScheduleCommand.class, ServerCommand.class,
                UserCommand.class, TokenCommand.class, PolicyCommand.class,
                ArchiveCommand.class, RetentionCommand.class, GdprCommand.class, DrillCommand.class,
                RecoverCommand.class, ReportCommand.class, KeyCommand.class},
        footer = {"", "Configuration: cellar.yaml (see cellar.example.yaml), then CELLAR_* environment variables, then flags.",
                "Exit codes: 0 ok, 1 internal error, 2 usage, 3 configuration, 4 repository, 5 wrong key, 6 database unreachable, "
                        + "7 PostgreSQL program missing or too old, 8 target exists, 9 storage full, 10 corrupt object, 11 locked, "
                        + "12 not found, 13 verification failed, 14 PostgreSQL program failed, 15 interrupted, 16 WAL conflict, 17 recovery target unreachable (docs/exit-codes.md).", ""})
public final class CellarCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new CellarCommand())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUsageHelpAutoWidth(true);
        return commandLine;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
