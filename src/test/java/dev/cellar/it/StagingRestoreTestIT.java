package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ConfigKey;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The weekly test restore of the seed on a staging server: {@code verify --restore-test latest
 * --on-staging} restores into a scratch database on the second cluster (never on production),
 * names the staging server, and leaves no scratch database on either.
 */
class StagingRestoreTestIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "pantry";

    private static LocalCluster production;
    private static LocalCluster staging;
    private static CellarCli cli;
    private static Map<String, String> productionOnly;

    @BeforeAll
    static void productionWithABackupAndAStagingServer() throws Exception {
        var workDir = TestFolders.create("cellar-staging-it");
        production = LocalCluster.start(TestFolders.create("cellar-staging-it-prod"));
        staging = LocalCluster.start(TestFolders.create("cellar-staging-it-staging"));
        production.createDatabase(DATABASE);
        production.execute(DATABASE, "CREATE TABLE shelves (id int PRIMARY KEY); CREATE TABLE jars (id int PRIMARY KEY, "
                + "shelf int NOT NULL REFERENCES shelves); INSERT INTO shelves SELECT generate_series(1, 20); "
                + "INSERT INTO jars SELECT g, 1 + g % 20 FROM generate_series(1, 500) g");
        productionOnly = Map.of(
                "CELLAR_PASSPHRASE", "staging-it-passphrase",
                "CELLAR_REPOSITORY_PATH", workDir.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", production.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(production.port()),
                "CELLAR_DATABASE_USER", production.superuser(),
                "CELLAR_DATABASE_NAME", DATABASE,
                ConfigKey.POSTGRES_BIN_DIR.env(), production.binaries().path("pg_dump").getParent().toString());
        cli = new CellarCli(productionOnly)
                .with(ConfigKey.VERIFY_STAGING_HOST.env(), staging.host())
                .with(ConfigKey.VERIFY_STAGING_PORT.env(), Integer.toString(staging.port()))
                .with(ConfigKey.VERIFY_STAGING_USER.env(), staging.superuser());
        assertThat(cli.run("init").exitCode()).isZero();
        CellarCli.Run backup = cli.run("backup", "logical");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
    }

    @AfterAll
    static void stopClusters() {
        if (production != null) {
            production.close();
        }
        if (staging != null) {
            staging.close();
        }
    }

    @Test
    void restoresOnTheStagingServerAndLeavesNoScratchDatabaseOnEither() throws Exception {
        List<String> productionBefore = databases(production);
        List<String> stagingBefore = databases(staging);

        CellarCli.Run run = cli.run("verify", "--restore-test", "latest", "--on-staging", "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode result = JSON.readTree(run.stdout());
        assertThat(result.get("server").asText()).isEqualTo("staging server " + staging.host() + ":" + staging.port());
        assertThat(result.get("report").get("ok").asBoolean()).isTrue();
        assertThat(result.get("report").get("tables")).hasSize(2);
        assertThat(databases(production)).isEqualTo(productionBefore);
        assertThat(databases(staging)).isEqualTo(stagingBefore);

        CellarCli.Run human = cli.run("verify", "--restore-test", "latest", "--on-staging");
        assertThat(human.exitCode()).as(human.toString()).isZero();
        assertThat(human.stdout()).startsWith("on the staging server " + staging.host() + ":" + staging.port()).contains("restore test passed");
    }

    @Test
    void anUnreachableStagingServerIsNamed() {
        CellarCli.Run run = cli.with(ConfigKey.VERIFY_STAGING_PORT.env(), "1").run("verify", "--restore-test", "latest", "--on-staging");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE.exitCode());
        assertThat(run.stderr()).contains("staging server " + staging.host() + ":1", "verify.staging.host");
    }

    @Test
    void withoutAStagingServerConfiguredOnStagingIsAConfigurationError() {
        CellarCli.Run run = new CellarCli(productionOnly).run("verify", "--restore-test", "latest", "--on-staging");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.CONFIG_INVALID.exitCode());
        assertThat(run.stderr()).contains("verify.staging.host is not set");
    }

    private static List<String> databases(LocalCluster cluster) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname FROM pg_database ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
