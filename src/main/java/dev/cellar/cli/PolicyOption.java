package dev.cellar.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --policy FILE}: the data policy a lifecycle command follows, the same for every one of them (PolicySource). */
final class PolicyOption {
    @Option(names = "--policy", paramLabel = "FILE",
            description = "The data policy file (default: database.policy of the database, else the restaurant_ordering policy shipped with Cellar).")
    Path file;
}
