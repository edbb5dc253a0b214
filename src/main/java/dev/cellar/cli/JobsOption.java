package dev.cellar.cli;

import dev.cellar.config.BackupConfig;
import picocli.CommandLine.Option;

/** {@code --jobs}: how many workers a command uses, falling back to {@code backup.jobs}. */
final class JobsOption {
    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Parallel workers: chunk readers and writers, and pg_restore jobs (backup.jobs; default: the number of CPUs).")
    Integer jobs;

    int or(BackupConfig config) {
        return jobs != null ? jobs : config.jobs();
    }
}
