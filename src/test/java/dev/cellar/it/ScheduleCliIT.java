package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cellar schedule list} and {@code schedule print} through the packaged jar, from a
 * configuration alone: no repository, no database.
 */
class ScheduleCliIT {
    private static Path folder;
    private static Path config;
    private static CellarCli cli;

    @BeforeAll
    static void configure() throws Exception {
        folder = TestFolders.create("cellar-schedule-it");
        config = Files.writeString(folder.resolve("cellar.yaml"), """
                repositories:
                  local:
                    path: /var/lib/cellar/repo
                  cloud:
                    path: /mnt/offsite/cellar
                database:
                  host: db.internal
                  user: backup
                schedule:
                  time-zone: America/New_York
                databases:
                  restaurant_ordering:
                    data-dir: /var/lib/postgresql/15/main
                    rpo-objective-seconds: 900
                  analytics:
                    port: 5433
                    time-zone: Europe/Berlin
                    full: daily 02:30
                """);
        cli = new CellarCli(Map.of());
    }

    @Test
    void listGivesEachJobsNextRunsInLocalTimeAndUtcAsJson() throws Exception {
        CellarCli.Run run = cli.run("schedule", "list", "-c", config.toString(), "--json", "--at", "2027-03-13T12:00:00Z");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode jobs = new ObjectMapper().readTree(run.stdout()).get("jobs");
        List<String> keys = new ArrayList<>();
        jobs.forEach(job -> keys.add(job.get("key").asText()));
        assertThat(keys).containsExactly("full:restaurant_ordering", "full:analytics", "incremental:restaurant_ordering",
                "verify:restaurant_ordering", "verify:analytics", "sync", "drill:restaurant_ordering", "drill:analytics", "quarterly-report",
                "annual-report");
        JsonNode full = jobs.get(0);
        assertThat(full.get("timeZone").asText()).isEqualTo("America/New_York");
        // 02:00 does not exist in New York on 2027-03-14: it runs at the change, 03:00 EDT
        assertThat(full.get("nextRuns").get(0).get("local").asText()).isEqualTo("2027-03-14T03:00:00-04:00");
        assertThat(full.get("nextRuns").get(0).get("utc").asText()).isEqualTo("2027-03-14T07:00:00Z");
        assertThat(full.get("nextRuns")).hasSize(3);
        assertThat(jobs.get(1).get("nextRuns").get(0).get("local").asText()).isEqualTo("2027-03-14T02:30:00+01:00");

        CellarCli.Run human = cli.run("schedule", "list", "-c", config.toString(), "--at", "2027-03-13T12:00:00Z");
        assertThat(human.stdout()).contains("full:restaurant_ordering").contains("Sun 2027-03-14 03:00 -04:00   2027-03-14T07:00:00Z");
    }

    @Test
    void printWritesTheCrontabByDefault() {
        CellarCli.Run run = cli.run("schedule", "print", "-c", config.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("CELLAR_CONFIG=" + config.toAbsolutePath())
                .contains("CRON_TZ=America/New_York\n0 2 * * * /usr/local/bin/cellar backup logical -d restaurant_ordering"
                        + " && /usr/local/bin/cellar expire")
                .contains("0 7-23 * * * /usr/local/bin/cellar backup physical --type incr --data-dir /var/lib/postgresql/15/main")
                .contains("CRON_TZ=Europe/Berlin\n30 2 * * * /usr/local/bin/cellar backup logical -p 5433 -d analytics")
                .contains("0 3 * * 1 /usr/local/bin/cellar verify --all")
                .contains("*/15 * * * * /usr/local/bin/cellar repo sync");
    }

    @Test
    void printSystemdWritesAServiceAndATimerPerJob() throws Exception {
        Path units = folder.resolve("units");
        CellarCli.Run run = cli.run("schedule", "print", "-c", config.toString(), "--systemd", "--output-dir", units.toString(),
                "--cellar", "/opt/cellar/cellar");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        try (var files = Files.list(units)) {
            // 10 jobs (2 full, 1 incremental, 2 verify, sync, 2 drills, the quarterly and the annual report): a service and a timer each
            assertThat(files.map(f -> f.getFileName().toString()).toList()).hasSize(20)
                    .contains("cellar-full-analytics.service", "cellar-full-analytics.timer", "cellar-sync.timer", "cellar-drill-analytics.timer",
                            "cellar-quarterly-report.timer", "cellar-annual-report.service");
        }
        assertThat(Files.readString(units.resolve("cellar-full-analytics.timer"))).contains("OnCalendar=*-*-* 02:30:00 Europe/Berlin");
        assertThat(Files.readString(units.resolve("cellar-full-analytics.service")))
                .contains("ExecStart=/opt/cellar/cellar backup logical -p 5433 -d analytics");
        assertThat(run.stdout()).contains("systemctl enable --now");

        CellarCli.Run printed = cli.run("schedule", "print", "-c", config.toString(), "--systemd");
        assertThat(printed.stdout()).contains("# ---- cellar-verify-restaurant_ordering.timer ----")
                .contains("OnCalendar=Mon *-*-* 03:00:00 America/New_York");
    }

    @Test
    void aBadScheduleIsAConfigurationErrorNamingTheKeyAndLine() throws Exception {
        Path bad = Files.writeString(folder.resolve("bad.yaml"), "databases:\n  orders:\n    full: every day at 2\n");
        CellarCli.Run run = cli.run("schedule", "list", "-c", bad.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).contains("databases.orders.full is not a schedule").contains("line 3");
        CellarCli.Run usage = cli.run("schedule", "print", "-c", config.toString(), "--crontab", "--systemd");
        assertThat(usage.exitCode()).isEqualTo(2);
    }
}
