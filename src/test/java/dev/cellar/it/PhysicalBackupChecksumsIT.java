package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On a cluster with data checksums, a page damaged on disk is named by the backup, which still completes. */
class PhysicalBackupChecksumsIT {

    @Test
    void damagedPageIsReportedWithPathAndBlockAndExitCode13() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(TestFolders.create("cellar-checksums-it-pg"), PgBinaries.locate(null),
                Map.of(), List.of("--data-checksums"))) {
            cluster.execute("postgres", "CREATE TABLE victim AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 5000) g");
            cluster.execute("postgres", "CHECKPOINT");
            String relative;
            try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_relation_filepath('victim')")) {
                rs.next();
                relative = rs.getString(1);
            }
            cluster.stop();
            try (RandomAccessFile file = new RandomAccessFile(cluster.dataDir().resolve(relative).toFile(), "rw")) {
                long middleOfPage3 = 3 * 8192 + 4000;
                file.seek(middleOfPage3);
                file.write(new byte[] {0x5A, 0x5A, 0x5A, 0x5A});
            }
            cluster.restart();

            Path folder = ServerUser.newFolder("cellar-checksums-it-repo");
            Repository.init(new LocalStorage(folder.resolve("repo")), RepositorySecret.passphrase("physical-it-passphrase".toCharArray()),
                    ChunkerParameters.DEFAULT, Clock.systemUTC());
            Path config = PhysicalBackupIT.writeConfig(folder, cluster);
            ServerUser.giveAway(folder);
            CellarCli.Run run = new CellarCli(Map.of()).asServerUser().run("backup", "physical", "--config", config.toString(), "--json");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(13);
            assertThat(run.stderr()).contains("page checksum failed: " + relative + " block 3");
            JsonNode json = RepositoryJson.mapper().readTree(run.stdout());
            assertThat(json.get("dataChecksums").asBoolean()).isTrue();
            assertThat(json.get("badPages")).hasSize(1);
            assertThat(json.get("badPages").get(0).asText()).isEqualTo(relative + " block 3");
            Repository repo = Repository.open(new LocalStorage(folder.resolve("repo")),
                    RepositorySecret.passphrase("physical-it-passphrase".toCharArray()), Clock.systemUTC());
            assertThat(repo.manifests().load(json.get("id").asText()).physical().badPages()).containsExactly(relative + " block 3");
        }
    }
}
