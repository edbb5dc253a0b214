package dev.cellar.web.api;

import java.time.Instant;

/**
 * The four-eyes decisions over an operation's record, pure: who may approve or reject it, and
 * when an operation awaiting approval has expired.
 */
public final class OperationTransitions {
    private OperationTransitions() {
    }

    /** What a request to approve or reject meets. */
    public enum Verdict {
        /** It may go ahead. */
        ALLOWED,
        /** The requester cannot decide on their own request (403). */
        OWN_REQUEST,
        /** It is not awaiting approval any more, or never was (409). */
        NOT_AWAITING,
        /** Its approval time ran out (409; the record becomes expired). */
        EXPIRED
    }

    /** Whether {@code user} may approve (or reject) {@code op} at {@code now}. */
    public static Verdict decide(OperationRecord op, String user, Instant now) {
        if (op.state() != OperationState.AWAITING_APPROVAL) {
            return Verdict.NOT_AWAITING;
        }
        if (expired(op, now)) {
            return Verdict.EXPIRED;
        }
        // user names are compared exactly: the auth part keeps them as they were created
        if (op.requestedBy().equals(user)) {
            return Verdict.OWN_REQUEST;
        }
        return Verdict.ALLOWED;
    }

    /** Whether an operation awaiting approval has passed its expiry. */
    public static boolean expired(OperationRecord op, Instant now) {
        return op.state() == OperationState.AWAITING_APPROVAL && op.approvalExpiresAt() != null && !now.isBefore(op.approvalExpiresAt());
    }

    /** The record as it is at {@code now}: an expired approval shows as expired even before anyone asks about it again. */
    public static OperationRecord asOf(OperationRecord op, Instant now) {
        return expired(op, now) ? op.expired(now) : op;
    }
}
