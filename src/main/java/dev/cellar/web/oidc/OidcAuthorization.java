package dev.cellar.web.oidc;

import java.net.URI;
import java.util.Objects;

/**
 * A login just started: where to send the browser, and what to keep until it comes back.
 */
public record OidcAuthorization(URI redirectTo, PendingOidcLogin pending) {
    public OidcAuthorization {
        Objects.requireNonNull(redirectTo, "redirectTo");
        Objects.requireNonNull(pending, "pending");
    }
}
