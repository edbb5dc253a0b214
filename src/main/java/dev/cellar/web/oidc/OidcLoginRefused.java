package dev.cellar.web.oidc;

/**
 * An OIDC login that must not start a session: the provider said no, the state or the ID token
 * does not check out, or the user's groups map to no role. The message says why in words fit for
 * the user and the audit trail.
 */
public final class OidcLoginRefused extends Exception {
    private final String user;
    private final String hint;

    /**
     * @param user the user name when the ID token was valid enough to tell it, else null
     * @param hint what the user or the operator can do about it
     */
    public OidcLoginRefused(String message, String user, String hint) {
        super(message);
        this.user = user;
        this.hint = hint;
    }

    public OidcLoginRefused(String message, String hint) {
        this(message, null, hint);
    }

    /** The user name, or null when the refusal came before the ID token was trusted. */
    public String user() {
        return user;
    }

    public String hint() {
        return hint;
    }
}
