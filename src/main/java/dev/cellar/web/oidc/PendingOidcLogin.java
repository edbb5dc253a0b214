package dev.cellar.web.oidc;

import java.time.Instant;
import java.util.Objects;

/**
 * What Cellar keeps between sending the browser to the provider and its return: the random
 * {@code state} that ties the callback to this browser, the {@code nonce} the ID token must carry,
 * and the PKCE verifier that proves the code exchange comes from whoever started the login.
 */
public record PendingOidcLogin(String state, String nonce, String codeVerifier, Instant startedAt) {
    public PendingOidcLogin {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
