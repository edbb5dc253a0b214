package dev.cellar.drill;

import java.time.Duration;

/**
 * One objective compared with what the drill measured.
 *
 * @param measure   RTO or RPO
 * @param scope     whose objective ("default", "category financial")
 * @param objective the objective
 * @param measured  what the drill measured, or null when it could not (no physical restore: no RPO)
 * @param met       true when measured is within the objective; a measure the drill could not take is not judged (true)
 */
public record ObjectiveVerdict(String measure, String scope, Duration objective, Duration measured, boolean met) {
}
