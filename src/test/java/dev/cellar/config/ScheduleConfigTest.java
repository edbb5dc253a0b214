package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.ScheduledJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schedule: section, the databases: section, and the job plan built from them. */
class ScheduleConfigTest {
    @TempDir
    Path dir;

    private CellarConfig load(String content) throws IOException {
        return load(content, Map.of());
    }

    private CellarConfig load(String content, Map<String, String> env) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), content), env, Map.of());
    }

    private CellarException failure(String content) {
        return (CellarException) assertThatThrownBy(() -> load(content))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .actual();
    }

    @Test
    void withoutSettingsTheSeedsScheduleRunsForTheOneDatabase() throws IOException {
        CellarConfig config = load("database:\n  name: restaurant_ordering\n");

        ScheduledDatabase db = config.scheduledDatabases().get(0);
        assertThat(config.scheduledDatabases()).hasSize(1);
        assertThat(db.name()).isEqualTo("restaurant_ordering");
        assertThat(db.timeZone()).isEqualTo(ZoneId.systemDefault());
        assertThat(db.full().expression()).isEqualTo("daily 02:00");
        assertThat(db.incremental().expression()).isEqualTo("hourly 07:00-23:00");
        assertThat(db.verify().expression()).isEqualTo("weekly mon 03:00");
        assertThat(db.timeout()).isEqualTo(Duration.ofMinutes(360));
        assertThat(db.rpoObjectiveSeconds()).isEqualTo(3600);
        assertThat(config.schedule().sync().expression()).isEqualTo("every 15m");
        // no data directory: no physical incremental job; one copy of the repository: nothing to sync
        assertThat(JobPlan.of(config).jobs()).extracting(ScheduledJob::key)
                .containsExactly("full:restaurant_ordering", "verify:restaurant_ordering", "drill:restaurant_ordering", "quarterly-report",
                        "annual-report");
    }

    @Test
    void aDataDirectoryAddsTheHourlyIncremental() throws IOException {
        CellarConfig config = load("""
                repositories:
                  local:
                    path: /var/lib/cellar/repo
                  cloud:
                    path: /mnt/offsite/cellar
                database:
                  name: restaurant_ordering
                postgres:
                  data-dir: /var/lib/postgresql/15/main
                schedule:
                  time-zone: Europe/Berlin
                """);

        assertThat(JobPlan.of(config).jobs()).extracting(ScheduledJob::key, ScheduledJob::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("full:restaurant_ordering", "backup-full"),
                org.assertj.core.groups.Tuple.tuple("incremental:restaurant_ordering", "backup-incremental"),
                org.assertj.core.groups.Tuple.tuple("verify:restaurant_ordering", "verify"),
                org.assertj.core.groups.Tuple.tuple("sync", "sync"),
                org.assertj.core.groups.Tuple.tuple("drill:restaurant_ordering", "drill"),
                org.assertj.core.groups.Tuple.tuple("quarterly-report", "quarterly-report"),
                org.assertj.core.groups.Tuple.tuple("annual-report", "annual-report"));
        assertThat(JobPlan.of(config).jobs()).allSatisfy(job -> assertThat(job.schedule().zone()).isEqualTo(ZoneId.of("Europe/Berlin")));
    }

    @Test
    void eachDatabaseHasItsConnectionAndOverridesOverTheSectionsDefaults() throws IOException {
        CellarConfig config = load("""
                database:
                  host: db.internal
                  user: backup
                schedule:
                  time-zone: Europe/Berlin
                  full: daily 01:30
                  timeout-minutes: 120
                databases:
                  restaurant_ordering:
                    rpo-objective-seconds: 900
                    data-dir: /var/lib/postgresql/15/main
                    incremental: hourly 06:00-22:00
                  analytics:
                    name: analytics_prod
                    host: reports.internal
                    port: 5433
                    password-env: ANALYTICS_PASSWORD
                    time-zone: America/New_York
                    full: weekly sun 04:00
                    verify: off
                """);

        List<ScheduledDatabase> dbs = config.scheduledDatabases();
        assertThat(dbs).extracting(ScheduledDatabase::name).containsExactly("restaurant_ordering", "analytics");
        ScheduledDatabase orders = dbs.get(0);
        assertThat(orders.connection().name()).isEqualTo("restaurant_ordering");
        assertThat(orders.connection().host()).isEqualTo("db.internal");
        assertThat(orders.connection().user()).isEqualTo("backup");
        assertThat(orders.full().expression()).isEqualTo("daily 01:30");
        assertThat(orders.incremental().expression()).isEqualTo("hourly 06:00-22:00");
        assertThat(orders.timeout()).isEqualTo(Duration.ofMinutes(120));
        assertThat(orders.rpoObjectiveSeconds()).isEqualTo(900);
        assertThat(orders.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        ScheduledDatabase analytics = dbs.get(1);
        assertThat(analytics.connection().name()).isEqualTo("analytics_prod");
        assertThat(analytics.connection().host()).isEqualTo("reports.internal");
        assertThat(analytics.connection().port()).isEqualTo(5433);
        assertThat(analytics.connection().password()).isEqualTo(new SecretSource.FromEnv(SecretName.DATABASE_PASSWORD, "ANALYTICS_PASSWORD"));
        assertThat(analytics.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(analytics.full().zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(analytics.physical()).isFalse();
        assertThat(analytics.rpoObjectiveSeconds()).isEqualTo(3600);
        assertThat(JobPlan.of(config).jobs()).extracting(ScheduledJob::key).containsExactly(
                "full:restaurant_ordering", "full:analytics", "incremental:restaurant_ordering",
                "verify:restaurant_ordering", "verify:analytics", "drill:restaurant_ordering", "drill:analytics", "quarterly-report",
                "annual-report");
    }

    @Test
    void anEntryWithoutNameBacksUpTheDatabaseOfItsShortNameNotPgdatabase() throws IOException {
        CellarConfig config = load("databases:\n  restaurant_ordering:\n", Map.of("PGDATABASE", "postgres"));
        assertThat(config.scheduledDatabases().get(0).connection().name()).isEqualTo("restaurant_ordering");
    }

    @Test
    void environmentOverridesTheScheduleSection() throws IOException {
        CellarConfig config = load("schedule:\n  full: daily 02:00\n", Map.of("CELLAR_SCHEDULE_FULL", "daily 03:15"));
        assertThat(config.scheduledDatabases().get(0).full().expression()).isEqualTo("daily 03:15");
    }

    @Test
    void aBadScheduleNamesTheKeyTheFileAndTheLine() {
        CellarException e = failure("""
                schedule:
                  time-zone: UTC
                  full: dayly 02:00
                """);
        assertThat(e.getMessage()).contains("schedule.full is not a schedule").contains("did you mean 'daily'")
                .contains("cellar.yaml line 3");
        assertThat(e.hint()).contains("hourly HH:MM-HH:MM");
    }

    @Test
    void aBadOverrideNamesTheDatabasesEntry() {
        CellarException e = failure("""
                databases:
                  orders:
                    name: restaurant_ordering
                    verify: weekly funday 03:00
                """);
        assertThat(e.getMessage()).contains("databases.orders.verify is not a schedule").contains("'funday'")
                .contains("cellar.yaml line 4");
        CellarException zone = failure("databases:\n  orders:\n    time-zone: Mars/Olympus\n");
        assertThat(zone.getMessage()).contains("databases.orders.time-zone").contains("line 3");
    }

    @Test
    void unknownAndMisplacedKeysOfTheDatabasesSectionAreNamed() {
        assertThat(failure("databases:\n  orders:\n    fulll: daily 02:00\n").getMessage())
                .contains("unknown key 'databases.orders.fulll'").contains("line 3").contains("databases.orders.full");
        assertThat(failure("databases:\n  orders:\n    sync: every 5m\n").getMessage())
                .contains("unknown key 'databases.orders.sync'");
        assertThat(failure("databases:\n  Orders DB:\n    port: 5432\n").getMessage()).contains("line 2")
                .contains("lowercase");
        assertThat(failure("databases:\n  orders:\n    port: 99999\n").getMessage()).contains("database.port must be an integer 1..65535");
        assertThat(failure("schedule:\n  timeout-minutes: 0\n").getMessage()).contains("schedule.timeout-minutes must be an integer 1..10080");
    }
}
