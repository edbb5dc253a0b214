package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.pg.TableChecksums;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Timelines: restore to a point, promote (timeline 2), keep writing and backing up there, then
 * recover to a point on the new timeline, both from the new timeline's backup and from the old
 * backup on timeline 1 (recovery follows the history file across the switch); and a point that
 * only the abandoned timeline 1 holds is still reachable with --target-timeline 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimelineIT {
    /** Where the repository lives; the S3 variant of this test overrides it. */
    protected RepositoryPlacement placement() {
        return RepositoryPlacement.folder();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private ArchivedCluster archived;

    @BeforeAll
    void start() {
        archived = ArchivedCluster.start(Map.of(), placement());
        archived.cluster().createDatabase("app");
        archived.cluster().execute("app", "CREATE TABLE events (id bigserial PRIMARY KEY, phase text NOT NULL, at timestamptz DEFAULT clock_timestamp())");
    }

    @AfterAll
    void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    void recoveryFollowsANewTimelineAndCanStillReachTheAbandonedOne() throws Exception {
        int primaryPort = archived.cluster().port();
        write(primaryPort, "tl1-before-backup", 200);
        CellarBackup firstBackup = backup(primaryPort);
        write(primaryPort, "tl1-a", 300);
        Map<String, String> atFork = mark(primaryPort, "fork");
        write(primaryPort, "tl1-abandoned", 300);
        Map<String, String> abandoned = mark(primaryPort, "abandoned");
        write(primaryPort, "tl1-after", 10);
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
        archived.cluster().stop();

        // disaster recovery to "fork": the restored server becomes the new primary and keeps archiving
        Path primary2 = archived.restoreDir("primary2");
        int port2 = ArchivedCluster.freePort();
        var restored = JSON.readTree(archived.cellarOk("restore", "pitr", "-D", primary2.toString(), "--target-name", "fork",
                "--start", "--port", Integer.toString(port2), "--json").stdout());
        assertThat(restored.path("timeline").asInt()).isEqualTo(2);
        assertThat(checksums(port2)).isEqualTo(atFork);

        write(port2, "tl2-before-backup", 200);
        CellarBackup secondBackup = backup(port2);
        write(port2, "tl2-a", 300);
        Map<String, String> onTimeline2 = mark(port2, "tl2-point");
        write(port2, "tl2-after", 10);
        archived.switchAndAwaitArchived(port2, Duration.ofSeconds(60));
        assertThat(secondBackup.id()).isNotEqualTo(firstBackup.id());

        Path drill = archived.restoreDir("drill");
        int drillPort = ArchivedCluster.freePort();
        var fromNewBackup = JSON.readTree(archived.cellarOk("restore", "pitr", "-D", drill.toString(), "--target-name", "tl2-point",
                "--start", "--port", Integer.toString(drillPort), "--archive-mode", "off", "--json").stdout());
        assertThat(fromNewBackup.path("backupId").asText()).isEqualTo(secondBackup.id());
        assertThat(checksums(drillPort)).isEqualTo(onTimeline2);
        archived.stopRestored(drill);

        var acrossTheSwitch = JSON.readTree(archived.cellarOk("restore", "pitr", "-D", drill.toString(), "--force", "--backup", firstBackup.id(),
                "--target-name", "tl2-point", "--start", "--port", Integer.toString(drillPort), "--archive-mode", "off", "--json").stdout());
        assertThat(acrossTheSwitch.path("backupId").asText()).isEqualTo(firstBackup.id());
        assertThat(checksums(drillPort)).isEqualTo(onTimeline2);
        archived.stopRestored(drill);

        archived.cellarOk("restore", "pitr", "-D", drill.toString(), "--force", "--target-timeline", "1",
                "--target-name", "abandoned", "--start", "--port", Integer.toString(drillPort), "--archive-mode", "off");
        assertThat(checksums(drillPort)).isEqualTo(abandoned);
        archived.stopRestored(drill);
    }

    private record CellarBackup(String id) {
    }

    private CellarBackup backup(int port) throws Exception {
        var result = JSON.readTree(archived.cellarOk("backup", "physical", "-p", Integer.toString(port), "--json").stdout());
        String id = result.path("id").asText(result.path("backupId").asText());
        assertThat(id).isNotBlank();
        return new CellarBackup(id);
    }

    private void write(int port, String phase, int rows) throws Exception {
        try (Connection c = ArchivedCluster.connect(port, "app"); Statement s = c.createStatement()) {
            for (int i = 0; i < rows; i += 50) {
                s.execute("INSERT INTO events (phase) SELECT '" + phase + "' FROM generate_series(1, 50)");
            }
        }
    }

    private Map<String, String> mark(int port, String name) throws Exception {
        try (Connection c = ArchivedCluster.connect(port, "app"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_create_restore_point('" + name + "')");
            return TableChecksums.of(c);
        }
    }

    private Map<String, String> checksums(int port) throws Exception {
        try (Connection c = ArchivedCluster.connect(port, "app")) {
            return TableChecksums.of(c);
        }
    }
}
