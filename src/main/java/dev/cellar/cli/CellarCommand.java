package dev.cellar.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Root of the command line: {@code cellar <command>}. Exit codes are listed in docs/exit-codes.md. */
@Command(name = "cellar", version = "cellar 0.1.0", usageHelpAutoWidth = true,
        description = "Backup, restore and verification for PostgreSQL.",
        footer = {"", "Configuration: cellar.yaml (see cellar.example.yaml), then CELLAR_* environment variables, then flags.",
                "Exit codes: 0 ok, 1 internal error, 2 usage, 3 configuration, 4 repository, 5 wrong key, 6 database unreachable, "
                        + "7 PostgreSQL program missing or too old, 8 target exists, 9 storage full, 10 corrupt object, 11 locked, "
                        + "12 not found, 13 verification failed, 14 PostgreSQL program failed, 15 interrupted, 16 WAL conflict, 17 recovery target unreachable (docs/exit-codes.md).", ""})
public final class CellarCommand implements Runnable {
    /**
     * Every top-level command, in the order {@code cellar --help} lists them. They are not the
     * annotation's {@code subcommands}: picocli reads every annotation of a command's classes when
     * it builds the tree, which for all of them took ~0.25 s of every command's start
     * (docs/performance.md), so {@link #newCommandLine(String...)} builds only the one named.
     */
    static final List<Class<?>> COMMANDS = List.of(InitCommand.class, BackupCommand.class, ListCommand.class, ShowCommand.class,
            RestoreCommand.class, VerifyCommand.class, ExpireCommand.class, RepoCommand.class, GcCommand.class, WalCommand.class,
            AuditCommand.class, UnlockCommand.class, CloudCommand.class, DemoCommand.class, SampleCommand.class, StatusCommand.class,
            CatalogCommand.class, ScheduleCommand.class, ServerCommand.class, UserCommand.class, TokenCommand.class, PolicyCommand.class,
            ArchiveCommand.class, RetentionCommand.class, GdprCommand.class, DrillCommand.class, RecoverCommand.class, ReportCommand.class,
            KeyCommand.class);

    @Mixin
    HelpOption help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    public static void main(String[] args) {
        System.exit(newCommandLine(args).execute(args));
    }

    /** The whole command tree. */
    static CommandLine newCommandLine() {
        return newCommandLine(new String[0]);
    }

    /**
     * The command tree that {@code args} need: when the first argument names a command, only that
     * command (with its own subcommands); none for the version; otherwise (help, no command, a
     * mistyped name that picocli suggests a correction for) all of them.
     */
    static CommandLine newCommandLine(String... args) {
        CommandLine commandLine = new CommandLine(new CellarCommand());
        String first = args.length == 0 ? "" : args[0];
        List<Class<?>> needed = args.length == 1 && (first.equals("-V") || first.equals("--version")) ? List.of()
                : COMMANDS.stream().filter(command -> commandName(command).equals(first)).findFirst()
                        .<List<Class<?>>>map(List::of).orElse(COMMANDS);
        needed.forEach(commandLine::addSubcommand);
        // set after the subcommands are added: picocli applies these to the subcommands present when called
        commandLine.setExecutionExceptionHandler(new ErrorReporter())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
        return commandLine;
    }

    static String commandName(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    @Override
    public void run() {
        newCommandLine().usage(System.out);
    }
}
