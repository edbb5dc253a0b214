package dev.cellar.web.api;

/**
 * A request the API refuses for a reason of its own (bad body, unknown id, not awaiting approval,
 * too many operations): answered as {@code {"error", "hint", "status"}} with that status.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String hint;

    public ApiProblem(int status, String message, String hint) {
        super(message);
        this.status = status;
        this.hint = hint;
    }

    public int status() {
        return status;
    }

    public String hint() {
        return hint;
    }

    public static ApiProblem badRequest(String message, String hint) {
        return new ApiProblem(400, message, hint);
    }

    public static ApiProblem notFound(String message, String hint) {
        return new ApiProblem(404, message, hint);
    }
}
