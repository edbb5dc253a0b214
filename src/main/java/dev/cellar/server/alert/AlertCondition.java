package dev.cellar.server.alert;

import java.util.List;

/**
 * One rule that turns observations into findings. A pure function: the same inputs give the same
 * findings, so every rule is tested without a database. A finding that is no longer given
 * resolves its incident, but only when the condition {@link #observes} its inputs this time.
 */
public interface AlertCondition {
    /** The names of the findings this condition gives ({@link Finding#condition()}). */
    List<String> names();

    /** Whether the inputs this condition reads were observed this time. */
    boolean observes(AlertInputs inputs);

    /** What is wrong now; empty when all is well. Called only when {@link #observes} is true. */
    List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds);
}
