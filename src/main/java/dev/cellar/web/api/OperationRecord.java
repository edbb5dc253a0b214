package dev.cellar.web.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One long operation as {@code GET /api/operations/{id}} shows it and the catalog keeps it. Its
 * changes are pure methods ({@link OperationTransitions} decides which are allowed), so the state
 * machine is tested without a server.
 *
 * @param requestedBy       the user who asked for it; {@code requestedSource} their address
 * @param approvalExpiresAt when an operation awaiting approval expires; null when it needs none
 * @param approvedBy        the second person who approved it (four-eyes), or who rejected it; null otherwise
 * @param result            the service's result record as the CLI prints it with {@code --json}; null until it succeeded
 * @param error             the error's message and hint when it failed, was rejected, expired or was interrupted
 */
public record OperationRecord(String id, OperationKind kind, @JsonIgnore OperationRequest request, String target, String database,
        String requestedBy, String requestedSource, Instant requestedAt, OperationState state, OperationProgress progress,
        Instant approvalExpiresAt, String approvedBy, Instant decidedAt, Instant startedAt, Instant finishedAt, JsonNode result,
        String error) {

    public OperationRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(state, "state");
        progress = progress == null ? OperationProgress.NONE : progress;
    }

    /** A new operation: running at once, or awaiting approval until {@code approvalExpiresAt} when that is not null. */
    public static OperationRecord requested(String id, OperationRequest request, String user, String source, Instant now,
            Instant approvalExpiresAt) {
        boolean approval = approvalExpiresAt != null;
        return new OperationRecord(id, request.kind(), request, request.target(), request.database(), user, source, now,
                approval ? OperationState.AWAITING_APPROVAL : OperationState.RUNNING,
                approval ? OperationProgress.NONE : OperationProgress.QUEUED, approvalExpiresAt, null, null, approval ? null : now,
                null, null, null);
    }

    public OperationRecord approved(String approver, Instant now) {
        return new OperationRecord(id, kind, request, target, database, requestedBy, requestedSource, requestedAt, OperationState.RUNNING,
                OperationProgress.QUEUED, approvalExpiresAt, approver, now, now, null, null, null);
    }

    public OperationRecord rejected(String rejecter, Instant now) {
        return ended(OperationState.REJECTED, rejecter, now, "rejected by " + rejecter);
    }

    public OperationRecord expired(Instant now) {
        return ended(OperationState.EXPIRED, null, now, "nobody approved it before " + approvalExpiresAt + "; request it again");
    }

    public OperationRecord interrupted(Instant now) {
        return ended(OperationState.INTERRUPTED, approvedBy, now,
                "the server stopped while it ran; check the repository (cellar unlock, cellar verify) and start it again");
    }

    public OperationRecord progressed(OperationProgress now) {
        return new OperationRecord(id, kind, request, target, database, requestedBy, requestedSource, requestedAt, state, now,
                approvalExpiresAt, approvedBy, decidedAt, startedAt, finishedAt, result, error);
    }

    public OperationRecord succeeded(JsonNode value, Instant now) {
        return new OperationRecord(id, kind, request, target, database, requestedBy, requestedSource, requestedAt, OperationState.SUCCEEDED,
                progress, approvalExpiresAt, approvedBy, decidedAt, startedAt, now, value, null);
    }

    public OperationRecord failed(String message, Instant now) {
        return new OperationRecord(id, kind, request, target, database, requestedBy, requestedSource, requestedAt, OperationState.FAILED,
                progress, approvalExpiresAt, approvedBy, decidedAt, startedAt, now, null, message);
    }

    private OperationRecord ended(OperationState to, String decider, Instant now, String why) {
        return new OperationRecord(id, kind, request, target, database, requestedBy, requestedSource, requestedAt, to, progress,
                approvalExpiresAt, decider, to == OperationState.INTERRUPTED ? decidedAt : now, startedAt, now, null, why);
    }

    /** Where a client follows it. */
    public java.util.Map<String, String> links() {
        return java.util.Map.of("self", "/api/operations/" + id, "events", "/api/operations/" + id + "/events");
    }
}
