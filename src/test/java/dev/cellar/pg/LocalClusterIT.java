package dev.cellar.pg;

import dev.cellar.it.TestFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalClusterIT {

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = LocalCluster.start(TestFolders.create("cellar-local-cluster-it"));
    }

    @AfterAll
    static void closeCluster() {
        cluster.close();
    }

    @Test
    void acceptsConnectionsOnItsOwnLoopbackPort() throws Exception {
        assertThat(cluster.port()).isNotEqualTo(5432);
        assertThat(cluster.jdbcUrl("postgres")).isEqualTo("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/postgres");
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, current_setting('wal_level')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(cluster.superuser());
            assertThat(rs.getString(2)).isEqualTo("replica");
        }
    }

    @Test
    void runsPgbenchInANewDatabase() throws Exception {
        cluster.createDatabase("bench");
        cluster.pgbench("bench", "-i", "-s", "1", "-q");
        cluster.pgbench("bench", "-c", "2", "-t", "50");

        try (Connection c = cluster.connect("bench"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_history)")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(100_000);
            assertThat(rs.getLong(2)).isEqualTo(100);
        }
        cluster.dropDatabase("bench");
        cluster.dropDatabase("bench");
    }

    @Test
    void serverMajorMatchesPgDump() {
        assertThat(cluster.serverVersion().major()).isEqualTo(cluster.binaries().version("pg_dump").major());
    }

    @Test
    void secondClusterGetsAnotherPortAndLeavesNoServerWhenClosed() throws Exception {
        Path parent = TestFolders.create("cellar-local-cluster-it");
        LocalCluster second = LocalCluster.start(parent, cluster.binaries(), Map.of("max_connections", "20"));
        assertThat(second.port()).isNotEqualTo(cluster.port());
        second.execute("postgres", "SELECT 1");

        second.stop();
        second.stop();
        ProcessResult status = ProcessRunner.run(List.of(second.binaries().path("pg_ctl").toString(),
                "status", "-D", second.dataDir().toString()), Map.of(), ProcessRunner.unprivilegedUserForServer());
        second.close();

        assertThat(status.exitCode()).as("pg_ctl status exit code, 3 = no server running").isEqualTo(3);
        assertThat(accepts(second.port())).isFalse();
        assertThat(parent).doesNotExist();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
