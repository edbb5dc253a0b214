package dev.cellar.web.auth;

/**
 * The guard's answer: let the request through ({@code status} 0), or refuse it with 401 or 403,
 * a reason for the audit trail and the caller, and what to do about it.
 */
public record AccessVerdict(int status, String reason, String hint) {
    public static final AccessVerdict ALLOW = new AccessVerdict(0, "", "");

    public boolean allowed() {
        return status == 0;
    }

    static AccessVerdict unauthorized(String reason, String hint) {
        return new AccessVerdict(401, reason, hint);
    }

    static AccessVerdict forbidden(String reason, String hint) {
        return new AccessVerdict(403, reason, hint);
    }
}
