package dev.cellar.server.alert;

import java.util.List;
import java.util.Set;

/**
 * The verification history the verification condition judges: which databases and kinds of check
 * are expected, and the runs recorded.
 */
public record Verifications(List<String> databases, Set<VerificationRun.Kind> expected, List<VerificationRun> runs) {
    public Verifications {
        databases = List.copyOf(databases);
        expected = Set.copyOf(expected);
        runs = List.copyOf(runs);
    }
}
