package dev.cellar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Root of the command line: {@code cellar <command>}. Exit codes are listed in docs/exit-codes.md. */
@Command(name = "cellar", mixinStandardHelpOptions = true, version = "cellar 0.1.0",
        description = "Backup, restore and verification for PostgreSQL.",
        subcommands = {InitCommand.class, BackupCommand.class, ListCommand.class, ShowCommand.class, RestoreCommand.class,
                VerifyCommand.class, GcCommand.class, AuditCommand.class, UnlockCommand.class, DemoCommand.class, SampleCommand.class},
        footer = {"", "Configuration: cellar.yaml (see cellar.example.yaml), CELLAR_* environment variables, then flags.",
                "Exit codes: 0 ok, 2 usage, 3 config, 4 repository, 5 wrong key, 6 database unreachable, 7 binary missing,",
                "8 target exists, 9 storage full, 10 corrupt object, 11 locked, 12 not found, 13 verification failed,",
                "14 PostgreSQL program failed, 15 interrupted, 1 internal error."})
public final class CellarCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    static CommandLine newCommandLine() {
        return new CommandLine(new CellarCommand())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
