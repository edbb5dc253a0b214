package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cellar recover --physical}: the hooks around a point-in-time restore into a data
 * directory holding an old cluster's leftovers. The post-hook sees the row committed after the
 * backup (WAL replayed, server started); the pre-hook ran before the directory was replaced.
 */
class PhysicalRecoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "till";

    private static ArchivedCluster archived;

    @BeforeAll
    static void archivedClusterWithABackupAndWalAfterIt() throws Exception {
        archived = ArchivedCluster.start(Map.of());
        archived.cluster().createDatabase(DB);
        archived.cluster().execute(DB, "CREATE TABLE receipts (n int PRIMARY KEY); INSERT INTO receipts SELECT generate_series(1, 100)");
        archived.cellarOk("backup", "physical", "--json");
        archived.cluster().execute(DB, "INSERT INTO receipts VALUES (101)");
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    void runsThePreHooksRestoresToTheLatestWalStartsTheServerThenRunsThePostHooks() throws Exception {
        Path dataDir = archived.restoreDir("production-data");
        Path log = archived.home().resolve("physical-hooks.log");
        int port = ArchivedCluster.freePort();
        String psql = archived.cluster().binaries().path("psql") + " -h 127.0.0.1 -p " + port + " -U postgres -d " + DB;
        // the pre-hook stands for 'systemctl stop postgresql': it leaves the old cluster's files behind
        Path pre = Files.writeString(archived.home().resolve("pre.sh"), "echo pre >> " + log + "\nmkdir -p " + dataDir + "\necho old > "
                + dataDir.resolve("left-by-the-old-cluster") + "\n");
        Path post = Files.writeString(archived.home().resolve("post.sh"), "echo \"post $(" + psql + " -tAc 'SELECT max(n) FROM receipts')\" >> "
                + log + "\n");
        Files.writeString(archived.config(), "\nrecover:\n  pre-hooks:\n    - sh " + pre + "\n  post-hooks:\n    - sh " + post + "\n",
                java.nio.file.StandardOpenOption.APPEND);

        CellarCli.Run dry = archived.cellar("recover", "--physical", "--data-dir", dataDir.toString(), "-p", Integer.toString(port), "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.stdout()).contains("sh " + pre, "replay WAL to", "sh " + post, "(dry run: not run)");
        assertThat(log).doesNotExist();

        CellarCli.Run run = archived.cellar("recover", "--physical", "--data-dir", dataDir.toString(), "--to-latest", "-p",
                Integer.toString(port), "--yes", "--json");
        try {
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(Files.readAllLines(log)).containsExactly("pre", "post 101");
            assertThat(dataDir.resolve("left-by-the-old-cluster")).doesNotExist();
            assertThat(count(port)).isEqualTo(101);
            JsonNode result = JSON.readTree(run.stdout());
            assertThat(result.get("mode").asText()).isEqualTo("physical");
            assertThat(result.get("steps").findValuesAsText("name"))
                    .containsExactly("data-dir", "pre-hook", "server-stopped", "restore", "post-hook");
        } finally {
            archived.stopRestored(dataDir);
        }
    }

    private static long count(int port) throws Exception {
        try (Connection c = ArchivedCluster.connect(port, DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM receipts")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
