package dev.cellar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command builds only the command a run names, and still behaves as the whole tree does. */
class CellarCommandTest {
    @Test
    void aNamedCommandIsTheOnlyOneBuiltWithItsOwnSubcommandsAndTheSameHandlers() {
        CommandLine restore = CellarCommand.newCommandLine("restore", "logical", "latest");

        assertThat(restore.getSubcommands()).containsOnlyKeys("restore");
        CommandLine logical = restore.getSubcommands().get("restore").getSubcommands().get("logical");
        assertThat(logical).as("nested subcommands come with their parent").isNotNull();
        assertThat(logical.getExecutionExceptionHandler()).as("exit codes come from the ErrorReporter at every level")
                .isInstanceOf(ErrorReporter.class);
        assertThat(logical.isCaseInsensitiveEnumValuesAllowed()).isTrue();
    }

    @Test
    void helpNoCommandAndAMistypedOneGetEveryCommandInTheListedOrder() {
        for (String[] args : new String[][] {{}, {"--help"}, {"bakup"}, {"--version", "--help"}}) {
            assertThat(CellarCommand.newCommandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(CellarCommand.COMMANDS.stream().map(CellarCommand::commandName).toList());
        }
        assertThat(CellarCommand.newCommandLine("--version").getSubcommands()).isEmpty();
    }

    @Test
    void everyCommandIsListedOnceAndTheHelpShowsThemAll() {
        assertThat(CellarCommand.COMMANDS).doesNotHaveDuplicates().allSatisfy(c -> assertThat(c).hasAnnotation(Command.class));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new CellarCommand().run();
        } finally {
            System.setOut(original);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        for (Class<?> command : CellarCommand.COMMANDS) {
            assertThat(help).contains("  " + CellarCommand.commandName(command) + " ");
        }
    }

    @Test
    void everyCommandsHelpRendersWithoutAWarning() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        StringBuilder usage = new StringBuilder();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            render(CellarCommand.newCommandLine(), usage);
        } finally {
            System.setErr(original);
        }
        // picocli formats descriptions: an unescaped %p was taken for a format and warned about on every --help
        assertThat(err.toString(StandardCharsets.UTF_8)).as("what picocli printed while rendering").doesNotContain("WARN");
        assertThat(usage).contains("--spool DIR %p'", "--spool DIR %f %p'");
    }

    private static void render(CommandLine command, StringBuilder into) {
        into.append(command.getUsageMessage());
        command.getSubcommands().values().forEach(sub -> render(sub, into));
    }

    @Test
    void aMistypedCommandGetsASuggestionAndTheUsageExitCode() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine commandLine = CellarCommand.newCommandLine("bakup");
        commandLine.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));

        int exit = commandLine.execute("bakup");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("backup");
    }
}
