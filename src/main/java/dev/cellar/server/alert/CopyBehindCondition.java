package dev.cellar.server.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A copy of the repository that has lacked objects for longer than the bound; resolved once it is in step. */
public final class CopyBehindCondition implements AlertCondition {
    public static final String NAME = "copy-behind";

    @Override
    public List<String> names() {
        return List.of(NAME);
    }

    @Override
    public boolean observes(AlertInputs inputs) {
        return inputs.copies() != null;
    }

    @Override
    public List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds) {
        List<Finding> findings = new ArrayList<>();
        for (CopyState copy : inputs.copies()) {
            if (copy.behindSince() == null) {
                continue;
            }
            Duration behind = Duration.between(copy.behindSince(), inputs.now());
            if (behind.compareTo(thresholds.copyBehind()) <= 0) {
                continue;
            }
            findings.add(new Finding(NAME, Finding.key(NAME, copy.copy()), Severity.WARNING, copy.copy(),
                    "repository copy " + copy.copy() + " has been behind for " + Texts.duration(behind),
                    copy.objectsBehind() + " objects missing since " + Texts.instant(copy.behindSince()) + "; bound "
                            + Texts.duration(thresholds.copyBehind()) + " (alerts.copy-behind-minutes)",
                    "check that the copy is reachable (network, credentials, space), then run cellar repo sync; "
                            + "until then a loss of the first copy loses what this one lacks",
                    copy.behindSince()));
        }
        return findings;
    }
}
