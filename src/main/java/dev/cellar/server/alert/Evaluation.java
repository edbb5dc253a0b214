package dev.cellar.server.alert;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The findings of one evaluation, and the conditions that could judge: an open incident of a
 * judged condition that is not found again is resolved; one of a condition that could not judge
 * (its inputs unobserved) stays as it is.
 */
public record Evaluation(Instant at, Set<String> judged, List<Finding> findings) {
    public Evaluation {
        judged = Set.copyOf(judged);
        findings = List.copyOf(findings);
    }
}
