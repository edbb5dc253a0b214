package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.web.auth.Role;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebAccessConfigTest {
    @TempDir
    Path folder;

    @Test
    void withNothingSetThereIsNoOidcNoHttpsAndNoPlainHttpDashboard() {
        CellarConfig config = ConfigLoader.load(null, Map.of(), Map.of());

        assertThat(config.oidc().enabled()).isFalse();
        assertThat(config.oidc().usernameClaim()).isEqualTo("preferred_username");
        assertThat(config.oidc().groupsClaim()).isEqualTo("groups");
        assertThat(config.https()).isEqualTo(HttpsConfig.none());
    }

    @Test
    void oidcIsReadFromANestedSectionWithItsGroupMapping() throws Exception {
        Path yaml = Files.writeString(folder.resolve("cellar.yaml"), """
                server:
                  tls:
                    keystore: /etc/cellar/cellar.p12
                    keystore-password-env: KEYSTORE_PASSWORD
                web:
                  allow-http-on-loopback: true
                  oidc:
                    issuer: https://id.example.com/realms/ops
                    client-id: cellar
                    client-secret-file: /etc/cellar/oidc-secret
                    redirect-uri: https://cellar.example.com/auth/oidc/callback
                    groups-claim: realm_access.roles
                    role-mapping:
                      - /dba=dba
                      - /ops=operator
                      - audit=auditor
                    trust-provider-mfa: true
                """);

        CellarConfig config = ConfigLoader.load(yaml, Map.of(), Map.of());

        OidcConfig oidc = config.oidc();
        assertThat(oidc.issuer()).isEqualTo(URI.create("https://id.example.com/realms/ops"));
        assertThat(oidc.clientId()).isEqualTo("cellar");
        assertThat(oidc.clientSecret()).isEqualTo(new SecretSource.FromFile(SecretName.WEB_OIDC_CLIENT_SECRET, Path.of("/etc/cellar/oidc-secret")));
        assertThat(oidc.redirectUri()).isEqualTo(URI.create("https://cellar.example.com/auth/oidc/callback"));
        assertThat(oidc.groupsClaim()).isEqualTo("realm_access.roles");
        assertThat(oidc.roleMapping()).containsExactly(Map.entry("/dba", Role.DBA), Map.entry("/ops", Role.OPERATOR),
                Map.entry("audit", Role.AUDITOR));
        assertThat(oidc.trustProviderMfa()).isTrue();
        assertThat(config.https().keystore()).isEqualTo(Path.of("/etc/cellar/cellar.p12"));
        assertThat(config.https().keystorePassword())
                .isEqualTo(new SecretSource.FromEnv(SecretName.SERVER_TLS_KEYSTORE_PASSWORD, "KEYSTORE_PASSWORD"));
        assertThat(config.https().allowHttpOnLoopback()).isTrue();
    }

    @Test
    void theVariablesSetTheMappingAsCommaSeparatedPairsAndTheSecretsOwnVariableIsUsed() {
        CellarConfig config = ConfigLoader.load(null, Map.of("CELLAR_WEB_OIDC_ISSUER", "https://accounts.google.com",
                "CELLAR_WEB_OIDC_CLIENT_ID", "123.apps.googleusercontent.com",
                "CELLAR_WEB_OIDC_REDIRECT_URI", "https://cellar.example.com/auth/oidc/callback",
                "CELLAR_WEB_OIDC_ROLE_MAPPING", "dba@example.com=dba, ops@example.com=operator",
                "CELLAR_OIDC_CLIENT_SECRET", "s3cret"), Map.of());

        assertThat(config.oidc().roleMapping()).containsEntry("dba@example.com", Role.DBA).containsEntry("ops@example.com", Role.OPERATOR);
        assertThat(config.oidc().clientSecret()).isEqualTo(new SecretSource.FromEnv(SecretName.WEB_OIDC_CLIENT_SECRET, "CELLAR_OIDC_CLIENT_SECRET"));
    }

    @Test
    void anIssuerWithoutClientCallbackOrMappingIsRefusedNamingTheMissingKey() {
        Map<String, String> complete = Map.of("web.oidc.issuer", "https://id.example.com", "web.oidc.client-id", "cellar",
                "web.oidc.redirect-uri", "https://cellar.example.com/auth/oidc/callback", "web.oidc.role-mapping", "dba=dba");
        for (String missing : complete.keySet()) {
            if (missing.equals("web.oidc.issuer")) {
                continue;
            }
            Map<String, String> without = new HashMap<>(complete);
            without.remove(missing);
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), without)).as(missing)
                    .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                    .hasMessageContaining(missing).hasMessageContaining("must be set when web.oidc.issuer is");
        }
    }

    @Test
    void aMappingToAnUnknownRoleOrWithoutEqualsIsRefused() {
        Map<String, String> base = Map.of("web.oidc.issuer", "https://id.example.com", "web.oidc.client-id", "cellar",
                "web.oidc.redirect-uri", "https://cellar.example.com/auth/oidc/callback");
        Map<String, String> unknownRole = new HashMap<>(base);
        unknownRole.put("web.oidc.role-mapping", "dba=superuser");
        Map<String, String> noEquals = new HashMap<>(base);
        noEquals.put("web.oidc.role-mapping", "dba");

        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), unknownRole)).hasMessageContaining("web.oidc.role-mapping")
                .hasMessageContaining("unknown role 'superuser'");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), noEquals)).hasMessageContaining("'dba', which is not group=role");
    }

    @Test
    void aKeystoreWithoutAPasswordIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.tls.keystore", "/etc/cellar/cellar.p12")))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("server.tls.keystore-password-file");
    }

    @Test
    void anIssuerThatIsNotAnHttpUrlIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("web.oidc.issuer", "id.example.com")))
                .hasMessageContaining("web.oidc.issuer must be an http(s)://host/path URL");
    }
}
