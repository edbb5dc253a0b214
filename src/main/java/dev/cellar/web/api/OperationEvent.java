package dev.cellar.web.api;

/**
 * What {@code GET /api/operations/{id}/events} sends: {@code progress} while it runs, {@code state}
 * when its state changes, {@code done} once when it ended (the data is the whole record each time).
 */
public record OperationEvent(String name, OperationRecord operation) {
    public static final String PROGRESS = "progress";
    public static final String STATE = "state";
    public static final String DONE = "done";
}
