package dev.cellar.web.oidc;

import dev.cellar.web.auth.Role;

import java.util.List;
import java.util.Objects;

/**
 * Who logged in through the OIDC provider, once the ID token was validated and the groups mapped:
 * what the session part needs to start a session.
 *
 * @param user               the user name (the configured claim, else {@code email}, else {@code sub})
 * @param role               the highest role the user's groups map to
 * @param groups             the groups the provider listed
 * @param secondFactorProved whether the provider proved a second factor ({@code amr}), or is trusted to
 * @param subject            the provider's stable id of the user ({@code sub})
 * @param issuer             the provider that vouched for them
 */
public record OidcIdentity(String user, Role role, List<String> groups, boolean secondFactorProved, String subject, String issuer) {
    public OidcIdentity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        groups = List.copyOf(groups);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
    }
}
