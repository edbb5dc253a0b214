package dev.cellar.server.schedule;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Writes a {@link JobCommand} as a POSIX shell command line, quoting only what needs it. */
final class ShellWords {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@+,-]+");

    private ShellWords() {
    }

    static String commandLine(String executable, JobCommand command) {
        StringBuilder line = new StringBuilder();
        command.environment().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> line.append(e.getKey()).append('=').append(quote(e.getValue())).append(' '));
        line.append(quote(executable));
        command.arguments().forEach(a -> line.append(' ').append(quote(a)));
        return line.toString();
    }

    static String commandLines(String executable, List<JobCommand> commands) {
        return commands.stream().map(c -> commandLine(executable, c)).collect(Collectors.joining(" && "));
    }

    static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
