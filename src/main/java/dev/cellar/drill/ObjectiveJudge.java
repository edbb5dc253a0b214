package dev.cellar.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares a drill's RTO and RPO with every objective that applies (the default and each data
 * category's). The tightest objective decides: the drill fails when any is missed, and the
 * reason names the tightest one missed.
 */
public final class ObjectiveJudge {
    private ObjectiveJudge() {
    }

    /** One verdict per objective that sets the measure, RTO first. */
    public static List<ObjectiveVerdict> verdicts(List<Objective> objectives, Duration rto, RpoMeasure rpo) {
        List<ObjectiveVerdict> verdicts = new ArrayList<>();
        Duration rpoWindow = rpo == null ? null : rpo.rpo();
        for (Objective objective : objectives) {
            if (objective.rto() != null) {
                verdicts.add(new ObjectiveVerdict("RTO", objective.scope(), objective.rto(), rto, within(rto, objective.rto())));
            }
        }
        for (Objective objective : objectives) {
            if (objective.rpo() != null) {
                verdicts.add(new ObjectiveVerdict("RPO", objective.scope(), objective.rpo(), rpoWindow, within(rpoWindow, objective.rpo())));
            }
        }
        return verdicts;
    }

    /** The reasons the drill fails on its objectives: per measure, the tightest objective missed; empty when all are met. */
    public static List<String> failures(List<ObjectiveVerdict> verdicts, RpoMeasure rpo) {
        List<String> failures = new ArrayList<>();
        tightestMissed(verdicts, "RTO").ifPresent(v -> failures.add("RTO " + ObjectiveDuration.format(v.measured()) + " exceeds the objective "
                + ObjectiveDuration.format(v.objective()) + " of " + v.scope() + ": the slowest restored copy was ready only after that long"));
        tightestMissed(verdicts, "RPO").ifPresent(v -> failures.add("RPO " + ObjectiveDuration.format(v.measured()) + " exceeds the objective "
                + ObjectiveDuration.format(v.objective()) + " of " + v.scope() + ": the newest commit recovered is " + rpo.newestRecovered()
                + " (" + rpo.method() + "), the disaster moment " + rpo.disasterMoment()));
        return failures;
    }

    /** The tightest objective of a measure, or null when none sets it. */
    public static Duration tightest(List<Objective> objectives, Function<Objective, Duration> measure) {
        return objectives.stream().map(measure).filter(d -> d != null).min(Comparator.naturalOrder()).orElse(null);
    }

    private static Optional<ObjectiveVerdict> tightestMissed(List<ObjectiveVerdict> verdicts, String measure) {
        return verdicts.stream().filter(v -> v.measure().equals(measure) && !v.met()).min(Comparator.comparing(ObjectiveVerdict::objective));
    }

    private static boolean within(Duration measured, Duration objective) {
        return measured == null || measured.compareTo(objective) <= 0;
    }
}
