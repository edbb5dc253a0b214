package dev.cellar.web.auth;

import java.util.List;

/** The audit trail's operation names for what the auth part records (web.login and friends: see WebEvent). */
public final class AuthAuditOperations {
    public static final String LOGIN = "web.login";
    public static final String LOGOUT = "web.logout";
    public static final String DENIED = "web.denied";
    /** Every one, for the test that tells settings from other dotted names. */
    public static final List<String> ALL = List.of(LOGIN, LOGOUT, DENIED);

    private AuthAuditOperations() {
    }
}
