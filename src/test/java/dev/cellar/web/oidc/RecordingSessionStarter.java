package dev.cellar.web.oidc;

import io.javalin.http.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The session part's stand-in for the OIDC tests: keeps each identity it was asked to start a
 * session for and sets a cookie naming the user, as the real one sets {@code cellar_session}.
 */
final class RecordingSessionStarter implements OidcSessionStarter {
    final List<OidcIdentity> started = new CopyOnWriteArrayList<>();

    @Override
    public void start(Context ctx, OidcIdentity identity) {
        started.add(identity);
        ctx.res().addHeader("Set-Cookie", "cellar_session=test-" + identity.user() + "; Path=/; HttpOnly; SameSite=Strict");
    }
}
