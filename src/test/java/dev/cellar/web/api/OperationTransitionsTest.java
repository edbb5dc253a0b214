package dev.cellar.web.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cellar.web.api.OperationTransitions.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The life of a long operation, and the four-eyes decisions, without a server. */
class OperationTransitionsTest {
    private static final Instant T0 = Instant.parse("2026-12-02T03:00:00Z");
    private static final OperationRequest RESTORE = new OperationRequest(OperationKind.RESTORE, "shop", "shop",
            Map.of("backup", "latest", "targetDatabase", "shop", "overExisting", true));

    private static OperationRecord awaiting() {
        return OperationRecord.requested("op1", RESTORE, "alice", "10.0.0.1", T0, T0.plus(Duration.ofHours(1)));
    }

    @Test
    void withoutApprovalItRunsAtOnce() {
        OperationRecord op = OperationRecord.requested("op1", RESTORE, "alice", "10.0.0.1", T0, null);
        assertThat(op.state()).isEqualTo(OperationState.RUNNING);
        assertThat(op.startedAt()).isEqualTo(T0);
        assertThat(OperationTransitions.decide(op, "bob", T0)).isEqualTo(Verdict.NOT_AWAITING);
    }

    @Test
    void theRequesterCanNeverApproveTheirOwn() {
        assertThat(OperationTransitions.decide(awaiting(), "alice", T0.plusSeconds(10))).isEqualTo(Verdict.OWN_REQUEST);
    }

    @Test
    void anotherUserApprovesAndItRuns() {
        OperationRecord op = awaiting();
        assertThat(OperationTransitions.decide(op, "bob", T0.plusSeconds(10))).isEqualTo(Verdict.ALLOWED);
        OperationRecord approved = op.approved("bob", T0.plusSeconds(10));
        assertThat(approved.state()).isEqualTo(OperationState.RUNNING);
        assertThat(approved.approvedBy()).isEqualTo("bob");
        assertThat(approved.requestedBy()).isEqualTo("alice");
        assertThat(OperationTransitions.decide(approved, "carol", T0.plusSeconds(11))).isEqualTo(Verdict.NOT_AWAITING);
    }

    @Test
    void anApprovalExpiresAtItsDeadlineNotBefore() {
        OperationRecord op = awaiting();
        assertThat(OperationTransitions.decide(op, "bob", T0.plus(Duration.ofMinutes(59)))).isEqualTo(Verdict.ALLOWED);
        assertThat(OperationTransitions.decide(op, "bob", T0.plus(Duration.ofHours(1)))).isEqualTo(Verdict.EXPIRED);
        OperationRecord later = OperationTransitions.asOf(op, T0.plus(Duration.ofHours(2)));
        assertThat(later.state()).isEqualTo(OperationState.EXPIRED);
        assertThat(later.state().terminal()).isTrue();
        assertThat(later.error()).contains("nobody approved");
        assertThat(OperationTransitions.asOf(op, T0.plusSeconds(1))).isSameAs(op);
    }

    @Test
    void aRejectedOperationEndsUnrunWithWhoRejectedIt() {
        OperationRecord rejected = awaiting().rejected("bob", T0.plusSeconds(5));
        assertThat(rejected.state()).isEqualTo(OperationState.REJECTED);
        assertThat(rejected.startedAt()).isNull();
        assertThat(rejected.approvedBy()).isEqualTo("bob");
        assertThat(rejected.error()).contains("rejected by bob");
    }

    @Test
    void progressThenSuccessOrFailureKeepTheLastProgress() {
        OperationRecord running = OperationRecord.requested("op2", RESTORE, "alice", "::1", T0, null)
                .progressed(new OperationProgress("restore", 50, 100));
        OperationRecord ok = running.succeeded(JsonNodeFactory.instance.objectNode().put("backupId", "b1"), T0.plusSeconds(30));
        assertThat(ok.state()).isEqualTo(OperationState.SUCCEEDED);
        assertThat(ok.progress().done()).isEqualTo(50);
        assertThat(ok.result().path("backupId").asText()).isEqualTo("b1");
        OperationRecord failed = running.failed("pg_restore failed", T0.plusSeconds(30));
        assertThat(failed.state()).isEqualTo(OperationState.FAILED);
        assertThat(failed.error()).isEqualTo("pg_restore failed");
        assertThat(failed.result()).isNull();
    }

    @Test
    void aRunningOperationFoundAtStartIsInterrupted() {
        OperationRecord interrupted = OperationRecord.requested("op3", RESTORE, "alice", "::1", T0, null).interrupted(T0.plusSeconds(60));
        assertThat(interrupted.state()).isEqualTo(OperationState.INTERRUPTED);
        assertThat(interrupted.finishedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void statesReadAndPrintAsTheirContractWords() {
        for (OperationState state : OperationState.values()) {
            assertThat(OperationState.ofWord(state.word())).isEqualTo(state);
        }
        assertThat(OperationState.AWAITING_APPROVAL.word()).isEqualTo("awaiting-approval");
        assertThat(OperationKind.ofWord("backup-logical")).isEqualTo(OperationKind.BACKUP_LOGICAL);
    }
}
