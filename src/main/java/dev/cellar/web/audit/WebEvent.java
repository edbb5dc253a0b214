package dev.cellar.web.audit;

import java.util.Objects;

/**
 * One thing that happened on the dashboard or the REST API and must be in the audit trail: a
 * login (good or bad), a refusal, or a call that changed state.
 *
 * @param user      the user name, or {@link #ANONYMOUS} when the request carried no valid credentials
 * @param role      the role the request acted with, or empty
 * @param source    the client's address
 * @param operation {@code web.login}, {@code web.logout}, {@code web.denied}, or {@code api} followed by the route
 *                  ({@code api POST /api/backups})
 * @param target    what it acted on (a database, a backup id, a user name), or empty
 * @param result    {@code ok}, {@code failed} or {@code denied}
 * @param detail    why, in a few words (the status code and reason of a refusal)
 */
public record WebEvent(String user, String role, String source, String operation, String target, String result, String detail) {
    public static final String ANONYMOUS = "anonymous";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String DENIED = "denied";
    /** The operations of logins, logouts and refusals (the others are {@code api} and the route). */
    public static final String LOGIN = "web.login";
    public static final String LOGOUT = "web.logout";
    public static final String REFUSED = "web.denied";

    public WebEvent {
        user = user == null || user.isBlank() ? ANONYMOUS : user;
        role = role == null ? "" : role;
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(operation, "operation");
        target = target == null ? "" : target;
        Objects.requireNonNull(result, "result");
        detail = detail == null ? "" : detail;
    }
}
