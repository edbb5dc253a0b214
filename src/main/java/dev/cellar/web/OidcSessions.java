package dev.cellar.web;

import dev.cellar.web.auth.Principal;
import dev.cellar.web.auth.SessionCookie;
import dev.cellar.web.auth.SessionStore;
import dev.cellar.web.oidc.OidcIdentity;
import dev.cellar.web.oidc.OidcLoginRefused;
import dev.cellar.web.oidc.OidcSessionStarter;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;

/**
 * Starts a dashboard session for a user the OIDC provider vouched for. A role that can change
 * state needs a second factor, and an OIDC user has no catalog row to enrol a TOTP secret in: the
 * provider must have proved one (its {@code amr} claim, or {@code web.oidc.trust-provider-mfa}),
 * or the login is refused with what to change.
 */
final class OidcSessions implements OidcSessionStarter {
    private final SessionStore sessions;
    private final Clock clock;

    OidcSessions(SessionStore sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public void start(Context ctx, OidcIdentity identity) throws OidcLoginRefused {
        if (identity.role().changesState() && !identity.secondFactorProved()) {
            throw new OidcLoginRefused("role " + identity.role().id() + " can change state and the provider proved no second factor for "
                    + identity.user(), identity.user(), "require MFA at the provider for this user's groups (the ID token's amr claim must "
                    + "list mfa or otp), or set web.oidc.trust-provider-mfa: true when the provider always enforces it");
        }
        SessionStore.Opened opened = sessions.open(identity.user(), identity.role(), Principal.Via.OIDC, false);
        if (identity.secondFactorProved()) {
            sessions.proveSecondFactor(opened.session());
        }
        SessionCookie.set(ctx, opened.id(), Duration.between(clock.instant(), opened.session().expires()).toSeconds());
    }
}
