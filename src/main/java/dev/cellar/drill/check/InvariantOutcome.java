package dev.cellar.drill.check;

import java.util.List;

/**
 * What an invariant's query returned, and the verdict on it.
 *
 * @param offenders  rows the query listed (ROWS), or 1 when a VERDICT query said the rule is broken
 * @param sampleKeys the first column of up to three offending rows, or the verdict's value
 */
public record InvariantOutcome(long offenders, List<String> sampleKeys) {
    static final int SAMPLES = 3;

    public InvariantOutcome {
        sampleKeys = List.copyOf(sampleKeys);
    }

    /**
     * How a VERDICT query's single value reads: false, 0, or null (an aggregate over nothing)
     * mean the rule holds.
     */
    public static InvariantOutcome ofVerdict(String value) {
        boolean holds = value == null || value.equals("f") || value.equals("false") || value.matches("-?0+(\\.0+)?");
        return new InvariantOutcome(holds ? 0 : 1, holds ? List.of() : List.of(value));
    }

    public CheckResult verdict(Invariant invariant) {
        if (offenders == 0) {
            return CheckResult.passed("invariant", invariant.name(), invariant.description());
        }
        String found = invariant.returns() == Invariant.Returns.VERDICT
                ? "the check returned " + sampleKeys.getFirst()
                : offenders + " offending row(s), e.g. " + String.join(", ", sampleKeys);
        return CheckResult.failed("invariant", invariant.name(), invariant.name() + " broken (" + invariant.description() + "): " + found);
    }
}
