package dev.cellar.drill;

import dev.cellar.drill.check.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one drill did and found: the disaster moment, each phase, each restored copy with its
 * checks and RTO, the RPO and how it was measured, the objectives and verdicts, and why it failed.
 *
 * @param rto      the slowest copy's RTO (the drill is ready when its slowest copy is), or null when nothing was restored
 * @param failures why the drill failed, one line each; empty when it passed
 */
public record DrillReport(String id, String database, Instant started, Instant finished, Instant disasterMoment, List<DrillPhase> phases,
                          List<RestoredCopy> copies, Duration rto, RpoMeasure rpo, List<Objective> objectives,
                          List<ObjectiveVerdict> verdicts, List<String> failures) {
    public DrillReport {
        phases = List.copyOf(phases);
        copies = List.copyOf(copies);
        objectives = List.copyOf(objectives);
        verdicts = List.copyOf(verdicts);
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** Why the copies fail the drill: a restore that threw, then each failed check, one line each. */
    public static List<String> copyFailures(List<RestoredCopy> copies) {
        List<String> failures = new ArrayList<>();
        for (RestoredCopy copy : copies) {
            if (copy.failure() != null) {
                failures.add(copy.name() + ": " + copy.failure());
            }
            for (CheckResult check : copy.checks()) {
                if (check.failed()) {
                    failures.add(copy.name() + ": check " + check.check() + (check.subject().isEmpty() ? "" : " " + check.subject())
                            + " failed: " + check.detail());
                }
            }
        }
        return failures;
    }

    public DrillSummary summary() {
        return new DrillSummary(id, database, started, finished, passed(), rto, rpo == null ? null : rpo.rpo(),
                ObjectiveJudge.tightest(objectives, Objective::rto), ObjectiveJudge.tightest(objectives, Objective::rpo), failures,
                copies.stream().map(RestoredCopy::backupId).filter(Objects::nonNull).distinct().toList());
    }

    /** One line for the audit trail and the daemon's log. */
    public String verdictLine() {
        String measured = "RTO " + ObjectiveDuration.format(rto) + ", RPO " + (rpo == null || rpo.rpo() == null ? "-" : ObjectiveDuration.format(rpo.rpo()));
        return passed() ? "passed: " + measured + ", " + copies.size() + " restored cop" + (copies.size() == 1 ? "y" : "ies") + " ready"
                : "failed: " + failures.get(0) + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : "");
    }
}
