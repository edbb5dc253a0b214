package dev.cellar.server.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The true recovery point: now minus the newest moment the database could be recovered to from
 * the repository. Above the database's objective, a disaster now would lose more than promised.
 * Resolved when newer WAL or a new backup brings it back within.
 */
public final class RpoCondition implements AlertCondition {
    public static final String NAME = "rpo-exceeded";

    @Override
    public List<String> names() {
        return List.of(NAME);
    }

    @Override
    public boolean observes(AlertInputs inputs) {
        return inputs.recoveryPoints() != null;
    }

    @Override
    public List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds) {
        List<Finding> findings = new ArrayList<>();
        for (RecoveryPoint point : inputs.recoveryPoints()) {
            Duration objective = point.objective() == null ? thresholds.defaultRpo() : point.objective();
            Duration rpo = point.newestRecoverable() == null ? null : Duration.between(point.newestRecoverable(), inputs.now());
            if (rpo != null && rpo.compareTo(objective) <= 0) {
                continue;
            }
            String summary = rpo == null ? point.database() + " cannot be recovered from the repository at all"
                    : "a disaster now would lose the last " + Texts.duration(rpo) + " of " + point.database()
                            + " (objective " + Texts.duration(objective) + ")";
            findings.add(new Finding(NAME, Finding.key(NAME, point.database()), Severity.CRITICAL, point.database(), summary,
                    "newest recoverable point: " + Texts.instant(point.newestRecoverable()) + "; recovery point objective "
                            + Texts.duration(objective),
                    "see whether WAL still reaches the repository (wal-archive alerts, cellar wal stream) and whether backups run; "
                            + "a backup taken now brings the recovery point back at once",
                    point.newestRecoverable() == null ? null : point.newestRecoverable().plus(objective)));
        }
        return findings;
    }
}
