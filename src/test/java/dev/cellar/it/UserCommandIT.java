package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ConfigKey;
import dev.cellar.pg.LocalCluster;
import dev.cellar.server.catalog.TestCatalogs;
import dev.cellar.web.auth.Argon2idPasswords;
import dev.cellar.web.auth.TokenStore;
import dev.cellar.web.auth.UserStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cellar user} and {@code cellar token} through the packaged jar on a real catalog, with
 * no server running: the first admin made from a shell, listed as JSON, given a token that the
 * catalog then knows.
 */
class UserCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCluster cluster;
    private static DataSource catalog;
    private static CellarCli cli;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-user-command-it-pg"));
        catalog = TestCatalogs.migrated(cluster, "catalog");
        cli = new CellarCli(Map.of(ConfigKey.CATALOG_URL.env(), cluster.jdbcUrl("catalog"),
                ConfigKey.CATALOG_USER.env(), cluster.superuser()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anAdminAddedFromTheShellIsListedAndGetsAToken() throws Exception {
        CellarCli.Run weak = withStdin("short\n", "user", "add", "weakling", "--role", "auditor", "--password-stdin");
        assertThat(weak.exitCode()).as(weak.toString()).isEqualTo(3);
        assertThat(weak.stderr()).contains("at least 12");

        CellarCli.Run add = withStdin("a long enough passphrase\n", "user", "add", "alice", "--role", "admin", "--password-stdin");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(add.stdout()).contains("added alice (admin)").contains("second factor");
        UserStore users = new UserStore(catalog, Clock.systemUTC(), new Argon2idPasswords());
        assertThat(users.passwords().matches("a long enough passphrase".toCharArray(), users.require("alice").passwordHash())).isTrue();

        CellarCli.Run list = cli.run("user", "list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        JsonNode listed = JSON.readTree(list.stdout()).get("users");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("user").asText()).isEqualTo("alice");
        assertThat(listed.get(0).get("role").asText()).isEqualTo("admin");
        assertThat(listed.get(0).get("secondFactorEnrolled").asBoolean()).isFalse();
        assertThat(list.stdout()).doesNotContain("argon2id");

        CellarCli.Run token = cli.run("token", "create", "--user", "alice", "--role", "operator", "--expires-days", "30",
                "--name", "nightly", "--json");
        assertThat(token.exitCode()).as(token.toString()).isZero();
        JsonNode issued = JSON.readTree(token.stdout());
        String secret = issued.get("token").asText();
        assertThat(secret).startsWith("cellar_");
        TokenStore tokens = new TokenStore(catalog, Clock.systemUTC(), new java.security.SecureRandom(), users);
        TokenStore.Check check = tokens.check(secret);
        assertThat(check.status()).isEqualTo(TokenStore.Status.VALID);
        assertThat(check.token().role()).isEqualTo("operator");
        assertThat(check.token().name()).isEqualTo("nightly");

        CellarCli.Run tooHigh = cli.run("token", "create", "--user", "alice", "--role", "nobody", "--expires-days", "30");
        assertThat(tooHigh.exitCode()).isEqualTo(2);

        CellarCli.Run revoke = cli.run("token", "revoke", issued.get("id").asText());
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(tokens.check(secret).status()).isEqualTo(TokenStore.Status.REVOKED);
        CellarCli.Run tokenList = cli.run("token", "list");
        assertThat(tokenList.stdout()).contains(issued.get("id").asText()).contains("revoked").doesNotContain(secret);

        CellarCli.Run unknown = cli.run("user", "unlock", "bob");
        assertThat(unknown.exitCode()).isEqualTo(12);
        assertThat(unknown.stderr()).contains("no web user 'bob'");
    }

    private static CellarCli.Run withStdin(String input, String... args) throws Exception {
        Process process = cli.start(args);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new CellarCli.Run(process.exitValue(), out, CellarCli.stderrSoFar(process));
    }
}
