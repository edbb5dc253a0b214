package dev.cellar.web.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.config.OidcConfig;
import dev.cellar.web.auth.Role;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcClaimsTest {
    private static final Map<String, Role> MAPPING = new LinkedHashMap<>(Map.of("dba-team", Role.DBA, "ops", Role.OPERATOR,
            "audit", Role.AUDITOR, "cellar-admins", Role.ADMIN));

    private static OidcConfig config(String usernameClaim, String groupsClaim, boolean trustMfa) {
        return new OidcConfig(URI.create("https://id.example.com/realms/ops"), "cellar", null,
                URI.create("https://cellar.example.com/auth/oidc/callback"), usernameClaim, groupsClaim, MAPPING, trustMfa);
    }

    private static OidcClaims defaults() {
        return new OidcClaims(config(OidcConfig.DEFAULT_USERNAME_CLAIM, OidcConfig.DEFAULT_GROUPS_CLAIM, false));
    }

    @Test
    void keycloakStyleTokenGivesTheUserTheirGroupsRole() throws Exception {
        OidcIdentity identity = defaults().identity(Map.of("sub", "f1e2", "preferred_username", "alice", "email", "alice@example.com",
                "groups", List.of("ops")), "https://id.example.com/realms/ops");

        assertThat(identity.user()).isEqualTo("alice");
        assertThat(identity.role()).isEqualTo(Role.OPERATOR);
        assertThat(identity.groups()).containsExactly("ops");
        assertThat(identity.subject()).isEqualTo("f1e2");
        assertThat(identity.secondFactorProved()).isFalse();
    }

    @Test
    void theHighestRoleOfAllTheUsersGroupsWins() throws Exception {
        assertThat(defaults().identity(Map.of("sub", "1", "preferred_username", "bob", "groups", List.of("audit", "dba-team", "ops")), "i")
                .role()).isEqualTo(Role.DBA);
        assertThat(defaults().identity(Map.of("sub", "1", "preferred_username", "bob", "groups", List.of("ops", "cellar-admins")), "i")
                .role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void theUserNameFallsBackToEmailThenSubject() throws Exception {
        assertThat(defaults().identity(Map.of("sub", "g-123", "email", "carol@example.com", "groups", List.of("audit")), "i").user())
                .isEqualTo("carol@example.com");
        assertThat(defaults().identity(Map.of("sub", "g-123", "groups", List.of("audit")), "i").user()).isEqualTo("g-123");
    }

    @Test
    void configuredClaimsAreReadIncludingNestedOnes() throws Exception {
        OidcClaims keycloakRoles = new OidcClaims(config("upn", "realm_access.roles", false));

        OidcIdentity identity = keycloakRoles.identity(Map.of("sub", "x", "upn", "dave@corp.example", "preferred_username", "ignored",
                "realm_access", Map.of("roles", List.of("offline_access", "dba-team"))), "i");

        assertThat(identity.user()).isEqualTo("dave@corp.example");
        assertThat(identity.role()).isEqualTo(Role.DBA);
    }

    @Test
    void aSingleGroupSentAsTextCountsAsAList() throws Exception {
        assertThat(defaults().identity(Map.of("sub", "x", "groups", "dba-team"), "i").role()).isEqualTo(Role.DBA);
    }

    @Test
    void aUserInNoMappedGroupIsRefusedWithTheGroupsNamed() {
        assertThatThrownBy(() -> defaults().identity(Map.of("sub", "x", "preferred_username", "eve", "groups", List.of("guests")), "i"))
                .isInstanceOfSatisfying(OidcLoginRefused.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("none of eve's groups [guests] maps to a Cellar role");
                    assertThat(e.user()).isEqualTo("eve");
                    assertThat(e.hint()).contains("web.oidc.role-mapping").contains("dba-team");
                });
    }

    @Test
    void aTokenWithoutGroupsSaysTheProviderMustSendThem() {
        assertThatThrownBy(() -> defaults().identity(Map.of("sub", "x", "preferred_username", "eve"), "i"))
                .isInstanceOfSatisfying(OidcLoginRefused.class, e -> assertThat(e.hint()).contains("sent no 'groups' claim"));
    }

    @Test
    void groupNamesMatchExactly() {
        assertThatThrownBy(() -> defaults().identity(Map.of("sub", "x", "groups", List.of("DBA-team", "/dba-team")), "i"))
                .isInstanceOf(OidcLoginRefused.class);
    }

    @Test
    void aSecondFactorIsProvedByAnAmrMethodOrByTrustingTheProvider() throws Exception {
        for (String method : List.of("mfa", "otp", "hwk", "swk")) {
            assertThat(defaults().identity(Map.of("sub", "x", "groups", List.of("ops"), "amr", List.of("pwd", method)), "i")
                    .secondFactorProved()).as(method).isTrue();
        }
        assertThat(defaults().identity(Map.of("sub", "x", "groups", List.of("ops"), "amr", List.of("pwd", "kba")), "i")
                .secondFactorProved()).isFalse();
        assertThat(new OidcClaims(config("preferred_username", "groups", true)).identity(Map.of("sub", "x", "groups", List.of("ops")), "i")
                .secondFactorProved()).isTrue();
    }

    @Test
    void aTokenWithoutSubjectIsRefused() {
        assertThatThrownBy(() -> defaults().identity(Map.of("preferred_username", "x", "groups", List.of("ops")), "i"))
                .isInstanceOf(OidcLoginRefused.class).hasMessageContaining("no subject");
    }
}
