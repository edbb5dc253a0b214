package dev.cellar.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every repository command accepts. */
public final class CommonOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $CELLAR_CONFIG, then ./cellar.yaml).")
    Path config;

    @Option(names = {"-r", "--repo"}, paramLabel = "LOCATION",
            description = "Repository folder or s3://bucket/prefix (overrides repository.path and any repositories: section).")
    String repository;

    @Option(names = "--repo-name", paramLabel = "NAME",
            description = "Use only this one of the repositories configured under repositories: (default: all of them).")
    String repositoryName;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Unlock the repository with this key file (overrides repository.key-file).")
    Path keyFile;

    @Option(names = "--json", description = "Print the result as JSON (for scripts).")
    boolean json;

    @Option(names = "--read-only", description = "Never write to the repository, even where this user could (evidence, a snapshot): "
            + "no lock, no audit record (both are said on stderr). For list, show, verify, restore and audit.")
    boolean readOnly;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "Wait this long for a conflicting repository lock (default: ${DEFAULT-VALUE}, fail at once).")
    int lockWaitSeconds;

    /** --repo as given for a bucket, made absolute for a folder (for a child process in another folder). */
    String absoluteRepository() {
        return repository.startsWith("s3://") ? repository : Path.of(repository).toAbsolutePath().toString();
    }

    Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (repository != null) {
            overrides.put("repository.path", repository);
        }
        if (keyFile != null) {
            overrides.put("repository.key-file", keyFile.toString());
        }
        return overrides;
    }
}
