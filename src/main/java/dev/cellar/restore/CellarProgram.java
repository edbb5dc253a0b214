package dev.cellar.restore;

import java.util.ArrayList;
import java.util.List;

/**
 * How a process PostgreSQL starts (restore_command) runs Cellar against this repository.
 *
 * @param program           the launcher, or java with the jar
 * @param repositoryOptions options that locate the repository and its key (--config, --repo, --key-file)
 */
public record CellarProgram(List<String> program, List<String> repositoryOptions) {

    /** {@code program words... repositoryOptions...}: subcommand options follow the subcommand in picocli. */
    public List<String> command(String... words) {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of(words));
        command.addAll(repositoryOptions);
        return command;
    }
}
