package dev.cellar.web.oidc;

import dev.cellar.config.ConfigKey;
import dev.cellar.config.OidcConfig;
import dev.cellar.web.auth.Role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the identity out of a validated ID token's claims: the user name, the groups and whether a
 * second factor was proved, then the role. Pure: the claims are a plain map, so every provider's
 * shape (Keycloak, Entra ID, Google) is tested without one.
 */
public final class OidcClaims {
    /** {@code amr} values (RFC 8176) that mean more than a password was proved. */
    static final Set<String> SECOND_FACTOR_METHODS = Set.of("mfa", "otp", "hwk", "swk");
    static final String EMAIL = "email";
    static final String SUBJECT = "sub";
    static final String AMR = "amr";

    private final OidcConfig config;
    private final OidcRoleMapping mapping;

    public OidcClaims(OidcConfig config) {
        this.config = config;
        this.mapping = new OidcRoleMapping(config.roleMapping());
    }

    /**
     * @param claims the ID token's claims, already checked for signature, issuer, audience, expiry and nonce
     * @throws OidcLoginRefused when the user has no name or no group that maps to a role
     */
    public OidcIdentity identity(Map<String, Object> claims, String issuer) throws OidcLoginRefused {
        String subject = text(claims.get(SUBJECT)).orElseThrow(() -> new OidcLoginRefused(
                "the provider's ID token names no subject (sub)", "the provider is not OpenID Connect compliant; ask its administrator"));
        String user = text(claim(claims, config.usernameClaim())).or(() -> text(claims.get(EMAIL))).orElse(subject);
        List<String> groups = list(claim(claims, config.groupsClaim()));
        Role role = mapping.roleFor(groups).orElseThrow(() -> new OidcLoginRefused(
                "none of " + user + "'s groups " + groups + " maps to a Cellar role", user,
                groups.isEmpty()
                        ? "the provider sent no '" + config.groupsClaim() + "' claim: add a groups mapper to Cellar's client at the provider, or set "
                                + ConfigKey.WEB_OIDC_GROUPS_CLAIM.dotted()
                        : "an administrator maps a group to a role in " + ConfigKey.WEB_OIDC_ROLE_MAPPING.dotted() + " (mapped now: "
                                + String.join(", ", mapping.groups()) + ")"));
        boolean secondFactor = config.trustProviderMfa() || list(claims.get(AMR)).stream().anyMatch(SECOND_FACTOR_METHODS::contains);
        return new OidcIdentity(user, role, groups, secondFactor, subject, issuer);
    }

    /** A claim by name, or by a dotted path into nested objects ({@code realm_access.roles} in Keycloak). */
    static Object claim(Map<String, Object> claims, String name) {
        if (claims.containsKey(name) || !name.contains(".")) {
            return claims.get(name);
        }
        Object value = claims;
        for (String part : name.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }

    private static Optional<String> text(Object value) {
        return value instanceof String s && !s.isBlank() ? Optional.of(s.strip()) : Optional.empty();
    }

    /** A list claim; a provider that sends one group as a plain string gets the same treatment. */
    private static List<String> list(Object value) {
        List<String> items = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.stream().filter(Objects::nonNull).map(Object::toString).map(String::strip).forEach(items::add);
        } else if (value instanceof String s && !s.isBlank()) {
            items.add(s.strip());
        }
        return items;
    }
}
