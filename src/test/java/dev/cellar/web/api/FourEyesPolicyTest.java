package dev.cellar.web.api;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests wait for a second person, on a configuration with one four-eyes database and one without. */
class FourEyesPolicyTest {
    @TempDir
    Path dir;

    private FourEyesPolicy policy(String yaml) throws IOException {
        CellarConfig config = ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), yaml), Map.of(), Map.of());
        return new FourEyesPolicy(config);
    }

    private static OperationRequest restore(String database, String target, boolean over) {
        return new OperationRequest(OperationKind.RESTORE, database, target, Map.of("backup", "latest", "targetDatabase", target,
                "overExisting", over));
    }

    @Test
    void restoreOverAFourEyesDatabaseWaitsOthersDoNot() throws IOException {
        FourEyesPolicy policy = policy("databases:\n  payments:\n    name: payments_prod\n    four-eyes: true\n  analytics:\n");
        assertThat(policy.needsApproval(restore("payments", "payments_prod", true))).isTrue();
        assertThat(policy.needsApproval(restore("analytics", "payments_prod", true))).as("target named by its PostgreSQL name").isTrue();
        assertThat(policy.needsApproval(restore("payments", "payments_copy", false))).as("into a new database").isFalse();
        assertThat(policy.needsApproval(restore("analytics", "analytics", true))).isFalse();
        assertThat(policy.needsApproval(new OperationRequest(OperationKind.BACKUP_LOGICAL, "payments", "payments", Map.of()))).isFalse();
    }

    @Test
    void repositoryWideDeletionWaitsWhenAnyDatabaseIsFourEyesExceptDryRuns() throws IOException {
        FourEyesPolicy policy = policy("databases:\n  payments:\n    four-eyes: true\n  analytics:\n");
        assertThat(policy.needsApproval(new OperationRequest(OperationKind.EXPIRE, null, "repository", Map.of("dryRun", false)))).isTrue();
        assertThat(policy.needsApproval(new OperationRequest(OperationKind.GC, null, "repository", Map.of("dryRun", true)))).isFalse();
        assertThat(policy.needsApproval(new OperationRequest(OperationKind.UNLOCK, null, "repository", Map.of("all", false)))).isTrue();
        FourEyesPolicy none = policy("databases:\n  analytics:\n");
        assertThat(none.needsApproval(new OperationRequest(OperationKind.GC, null, "repository", Map.of("dryRun", false)))).isFalse();
    }
}
