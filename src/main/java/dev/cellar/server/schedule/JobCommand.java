package dev.cellar.server.schedule;

import java.util.List;
import java.util.Map;

/**
 * A {@code cellar} command line that does a job's work, for sites that keep cron or systemd
 * timers instead of {@code cellar server}.
 *
 * @param environment variables the command needs besides the configuration file (a database's
 *                    password file when it is not the file's {@code database.*} one)
 * @param arguments   the arguments after {@code cellar}
 */
public record JobCommand(Map<String, String> environment, List<String> arguments) {
    public JobCommand {
        environment = Map.copyOf(environment);
        arguments = List.copyOf(arguments);
    }

    public static JobCommand of(String... arguments) {
        return new JobCommand(Map.of(), List.of(arguments));
    }
}
