package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.restore.PhysicalFileRestore;
import dev.cellar.storage.Storage;
import dev.cellar.storage.s3.FaultInjectingProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** {@link PhysicalBackupIT} with the repository in a bucket of an S3 API server (S3Proxy on loopback).
 * Every test and assertion is inherited; only where the repository lives differs. Its own tests count
 * the requests a backup sends, through a proxy in front of the server. */
class PhysicalBackupS3IT extends PhysicalBackupIT {
    private final S3Placement s3 = S3Placement.onS3Proxy();

    @Override
    protected RepositoryPlacement placement() {
        return s3;
    }

    @Test
    void secondFullBackupSendsNoRequestForTheChunksOfTheFirstAndARestoreStillRefusesAFlippedByte() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(s3.endpoint())) {
            Path counted = repoParent.resolve("cellar-counted.yaml");
            Files.writeString(counted, Files.readString(config).replace(s3.endpoint().toString(), proxy.endpoint().toString()));
            ServerUser.giveAway(counted);

            JsonNode first = backup(counted);
            Repository repo = openRepository();
            BackupManifest firstManifest = repo.manifests().load(first.get("id").asText());
            // a block of template0, which nothing writes to: the same chunk in both backups
            String template0 = "base/" + template0Oid() + "/";
            ChunkRef victim = firstManifest.physical().files().stream().filter(f -> f.path().startsWith(template0))
                    .max(java.util.Comparator.comparingLong(PhysicalInfo.FileEntry::size)).orElseThrow().chunks().get(0);
            Storage storage = placement().open(repoParent);
            String key = ChunkStore.objectKey(victim.id());
            byte[] original = storage.get(key);
            byte[] flipped = original.clone();
            flipped[flipped.length / 2] ^= 0x01;
            storage.put(key, flipped);
            try {
                proxy.resetRequestCounts();
                JsonNode second = backup(counted);
                SortedMap<String, Long> requests = proxy.requestsByKind();

                // a backup refers to its predecessor's chunks without asking for them: no HEAD at all, and a
                // PUT only for a block that changed (pg_control, what the checkpoint and autovacuum touched,
                // and what the class's other tests changed since: they share the cluster and run in any order)
                assertThat(requests).as(requests.toString()).doesNotContainKey("HEAD chunks").doesNotContainKey("GET chunks");
                assertThat(requests.getOrDefault("PUT chunks", 0L)).as(requests.toString()).isEqualTo(second.get("newBlocks").asLong());
                assertThat(second.get("reusedBlocks").asLong()).isGreaterThan(4 * second.get("newBlocks").asLong());
                assertThat(second.get("storedBytes").asLong()).isLessThan(second.get("bytesRead").asLong() / 4);

                // the flipped chunk was trusted, not sent again; the restore reads it and refuses it
                BackupManifest secondManifest = repo.manifests().load(second.get("id").asText());
                assertThat(secondManifest.physical().files()).anySatisfy(f -> assertThat(f.chunks()).contains(victim));
                Path into = ServerUser.newFolder("cellar-physical-s3-it-flipped");
                Map<Long, Path> remap = new HashMap<>();
                for (PhysicalInfo.TablespaceEntry t : secondManifest.physical().tablespaces()) {
                    remap.put(t.oid(), ServerUser.newFolder("cellar-physical-s3-it-flipped-ts"));
                }
                assertThatThrownBy(() -> new PhysicalFileRestore(repo).restore(secondManifest, into.resolve("pgdata"), remap, 2, ProgressListener.NONE))
                        .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY))
                        .hasMessageContaining(victim.id());
            } finally {
                storage.put(key, original);
            }
        }
    }

    private long template0Oid() throws Exception {
        try (java.sql.Connection c = connect(cluster.port(), "postgres"); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT oid FROM pg_database WHERE datname = 'template0'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JsonNode backup(Path configFile) throws Exception {
        CellarCli.Run run = cli.run("backup", "physical", "--config", configFile.toString(), "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return RepositoryJson.mapper().readTree(run.stdout());
    }
}
