package dev.cellar.config;

import dev.cellar.web.auth.Role;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The dashboard's login through an OpenID Connect provider (Keycloak, Entra ID, Google, ...):
 * disabled when no issuer is set. See docs/web-login.md.
 *
 * @param issuer           the provider's issuer URL; its {@code .well-known/openid-configuration} is read; null: disabled
 * @param clientId         Cellar's client id at the provider
 * @param clientSecret     where the client secret comes from; null for a public client (PKCE only)
 * @param redirectUri      the callback URL registered at the provider, ending in {@code /auth/oidc/callback}
 * @param usernameClaim    the ID token claim that names the user (then {@code email}, then {@code sub})
 * @param groupsClaim      the ID token claim that lists the user's groups
 * @param roleMapping      group → role, in the order written; a user gets the highest role any of their groups maps to
 * @param trustProviderMfa whether every OIDC login counts as a proved second factor, whatever its {@code amr} claim says
 */
public record OidcConfig(URI issuer, String clientId, SecretSource clientSecret, URI redirectUri, String usernameClaim,
        String groupsClaim, Map<String, Role> roleMapping, boolean trustProviderMfa) {
    public static final String DEFAULT_USERNAME_CLAIM = "preferred_username";
    public static final String DEFAULT_GROUPS_CLAIM = "groups";

    public OidcConfig {
        Objects.requireNonNull(usernameClaim, "usernameClaim");
        Objects.requireNonNull(groupsClaim, "groupsClaim");
        roleMapping = Collections.unmodifiableMap(new LinkedHashMap<>(roleMapping));
        if (issuer != null) {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(redirectUri, "redirectUri");
        }
    }

    /** No OIDC login: what a configuration without {@code web.oidc.issuer} gets. */
    public static OidcConfig disabled() {
        return new OidcConfig(null, null, null, null, DEFAULT_USERNAME_CLAIM, DEFAULT_GROUPS_CLAIM, Map.of(), false);
    }

    public boolean enabled() {
        return issuer != null;
    }
}
