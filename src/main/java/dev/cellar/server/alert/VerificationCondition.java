package dev.cellar.server.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Backups nobody has proven restorable: the newest verification or restore test of a database
 * failed ({@code verify-failed}, critical; resolved by the next one that passes), or none passed
 * within the bound ({@code verify-overdue}; resolved by one that passes).
 */
public final class VerificationCondition implements AlertCondition {
    public static final String FAILED = "verify-failed";
    public static final String OVERDUE = "verify-overdue";

    @Override
    public List<String> names() {
        return List.of(FAILED, OVERDUE);
    }

    @Override
    public boolean observes(AlertInputs inputs) {
        return inputs.verifications() != null;
    }

    @Override
    public List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds) {
        Verifications history = inputs.verifications();
        List<Finding> findings = new ArrayList<>();
        for (String database : history.databases()) {
            for (VerificationRun.Kind kind : VerificationRun.Kind.values()) {
                List<VerificationRun> newestFirst = history.runs().stream()
                        .filter(r -> r.database().equals(database) && r.kind() == kind)
                        .sorted(Comparator.comparing(VerificationRun::finished).reversed()).toList();
                Optional<VerificationRun> lastPassed = newestFirst.stream().filter(VerificationRun::passed).findFirst();
                if (!newestFirst.isEmpty() && !newestFirst.get(0).passed()) {
                    VerificationRun failed = newestFirst.get(0);
                    findings.add(new Finding(FAILED, Finding.key(FAILED, database, kind.word()), Severity.CRITICAL, database,
                            "the " + kind.described() + " of " + database + " failed",
                            "finished " + Texts.instant(failed.finished()) + ": " + (failed.detail() == null ? "no detail recorded" : failed.detail())
                                    + "; last passed " + lastPassed.map(r -> Texts.instant(r.finished())).orElse("never"),
                            "run cellar verify (with --restore-test for a restore test) by hand to see what fails; a damaged backup "
                                    + "means the next backup should be taken now, and the repository's storage checked",
                            failed.finished()));
                }
                if (history.expected().contains(kind)) {
                    overdue(database, kind, lastPassed, inputs, thresholds).ifPresent(findings::add);
                }
            }
        }
        return findings;
    }

    private static Optional<Finding> overdue(String database, VerificationRun.Kind kind, Optional<VerificationRun> lastPassed,
            AlertInputs inputs, AlertThresholds thresholds) {
        if (lastPassed.isPresent()
                && Duration.between(lastPassed.get().finished(), inputs.now()).compareTo(thresholds.verifyMaxAge()) <= 0) {
            return Optional.empty();
        }
        String since = lastPassed.map(r -> "the last that passed finished " + Texts.instant(r.finished())).orElse("none has ever passed");
        return Optional.of(new Finding(OVERDUE, Finding.key(OVERDUE, database, kind.word()), Severity.WARNING, database,
                "no " + kind.described() + " of " + database + " has passed in " + thresholds.verifyMaxAge().toDays() + " days",
                since + " (alerts.verify-max-days)",
                "an untested backup is a hope, not a backup: check that the weekly verification is scheduled and runs "
                        + "(cellar schedule list), or run cellar verify by hand",
                lastPassed.map(r -> r.finished().plus(thresholds.verifyMaxAge())).orElse(null)));
    }
}
