package dev.cellar.error;

/**
 * The one exception type that crosses package boundaries. Its message says what went wrong and
 * names the object; the optional hint says what the operator should do next.
 */
public class CellarException extends RuntimeException {
    private final ErrorCode code;
    private final String hint;

    public CellarException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public CellarException(ErrorCode code, String message, String hint) {
        this(code, message, hint, null);
    }

    public CellarException(ErrorCode code, String message, String hint, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.hint = hint;
    }

    public ErrorCode code() {
        return code;
    }

    /** What to do about it, or null when the message says it all. */
    public String hint() {
        return hint;
    }
}
