package dev.cellar.web.oidc;

import io.javalin.http.Context;

/**
 * Starts a dashboard session for a user the OIDC provider vouched for: the seam between this
 * package and the session part, which sets the {@code cellar_session} cookie on {@code ctx}.
 */
@FunctionalInterface
public interface OidcSessionStarter {
    void start(Context ctx, OidcIdentity identity) throws OidcLoginRefused;
}
