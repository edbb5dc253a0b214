package dev.cellar.web.api;

import java.util.Arrays;

/**
 * Where a long operation of the REST API stands. {@code expired} (nobody approved in time) and
 * {@code interrupted} (the server stopped while it ran) extend the contract's five states.
 */
public enum OperationState {
    AWAITING_APPROVAL("awaiting-approval"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    REJECTED("rejected"),
    EXPIRED("expired"),
    INTERRUPTED("interrupted");

    private final String word;

    OperationState(String word) {
        this.word = word;
    }

    /** The word of the API and of the catalog's {@code web_operation.state} column. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String word() {
        return word;
    }

    /** Whether nothing will happen to the operation any more. */
    public boolean terminal() {
        return this != AWAITING_APPROVAL && this != RUNNING;
    }

    public static OperationState ofWord(String word) {
        return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown operation state '" + word + "'"));
    }
}
