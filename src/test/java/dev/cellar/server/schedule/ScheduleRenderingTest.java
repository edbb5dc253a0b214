package dev.cellar.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan written as a crontab (the seed's, by default), as systemd units, and as a listing. */
class ScheduleRenderingTest {
    @TempDir
    Path dir;

    private JobPlan plan(String yaml) throws IOException {
        CellarConfig config = ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), yaml), Map.of(), Map.of());
        return JobPlan.of(config);
    }

    private static final String SEED = """
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
            """;

    @Test
    void theDefaultCrontabHasTheSeedsLines() throws IOException {
        String crontab = CrontabRenderer.render(plan(SEED), Path.of("/etc/cellar/cellar.yaml"), "/usr/local/bin/cellar");
        // the commands read the same file: only the database is named
        String connection = " -d restaurant_ordering";
        assertThat(crontab.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()).containsExactly(
                "CELLAR_CONFIG=/etc/cellar/cellar.yaml",
                "CRON_TZ=Europe/Berlin",
                "0 2 * * * /usr/local/bin/cellar backup logical" + connection + " && /usr/local/bin/cellar expire",
                "CRON_TZ=Europe/Berlin",
                "0 7-23 * * * /usr/local/bin/cellar backup physical --type incr --data-dir /var/lib/postgresql/15/main" + connection,
                "CRON_TZ=Europe/Berlin",
                "0 3 * * 1 /usr/local/bin/cellar verify --all && /usr/local/bin/cellar verify --restore-test latest" + connection,
                "CRON_TZ=UTC",
                "*/15 * * * * /usr/local/bin/cellar repo sync",
                "CRON_TZ=Europe/Berlin",
                "0 3 1 * * /usr/local/bin/cellar drill" + connection,
                "CRON_TZ=Europe/Berlin",
                "0 6 2 1,4,7,10 * /usr/local/bin/cellar report quarterly --quarter previous",
                "CRON_TZ=Europe/Berlin",
                "0 7 2 1 * /usr/local/bin/cellar report annual --year previous");
    }

    @Test
    void aMonthlyDayMissingFromSomeMonthsGetsALastDayLineAndPasswordsTravelAsVariables() throws IOException {
        JobPlan plan = plan("""
                repositories:
                  local:
                    path: /var/lib/cellar/repo
                  cloud:
                    path: /mnt/offsite/cellar
                schedule:
                  time-zone: UTC
                  full: monthly 31 04:00
                  verify: off
                  sync: every 7m
                databases:
                  orders:
                    password-file: /etc/cellar/orders password
                """);
        String crontab = CrontabRenderer.render(plan, null, "cellar");
        assertThat(crontab).contains("0 4 31 * * CELLAR_DATABASE_PASSWORD_FILE='/etc/cellar/orders password' cellar backup logical")
                .contains("0 4 28-30 * * [ \"$(date -d tomorrow +\\%d)\" = 01 ] && CELLAR_DATABASE_PASSWORD_FILE=")
                .contains("# not written: the schedule is off")
                .contains("# not written: cron cannot run 'every 7m'")
                .doesNotContain("CELLAR_CONFIG=");
    }

    @Test
    void systemdTimersCarryTheZoneAndTheServiceRunsTheCommandsInOrder() throws IOException {
        List<SystemdRenderer.UnitFile> units = SystemdRenderer.render(plan(SEED), Path.of("/etc/cellar/cellar.yaml"), "/usr/local/bin/cellar");
        assertThat(units).extracting(SystemdRenderer.UnitFile::name).containsExactly(
                "cellar-full-restaurant_ordering.service", "cellar-full-restaurant_ordering.timer",
                "cellar-incremental-restaurant_ordering.service", "cellar-incremental-restaurant_ordering.timer",
                "cellar-verify-restaurant_ordering.service", "cellar-verify-restaurant_ordering.timer",
                "cellar-sync.service", "cellar-sync.timer",
                "cellar-drill-restaurant_ordering.service", "cellar-drill-restaurant_ordering.timer",
                "cellar-quarterly-report.service", "cellar-quarterly-report.timer",
                "cellar-annual-report.service", "cellar-annual-report.timer");
        String fullService = units.get(0).text();
        assertThat(fullService).contains("Type=oneshot", "Environment=CELLAR_CONFIG=/etc/cellar/cellar.yaml", "TimeoutStartSec=360min");
        assertThat(fullService.indexOf("ExecStart=/usr/local/bin/cellar backup logical"))
                .isLessThan(fullService.indexOf("ExecStart=/usr/local/bin/cellar expire")).isPositive();
        assertThat(units.get(1).text()).contains("OnCalendar=*-*-* 02:00:00 Europe/Berlin", "Persistent=true",
                "Unit=cellar-full-restaurant_ordering.service");
        assertThat(units.get(3).text()).contains("OnCalendar=*-*-* 07..23:00:00 Europe/Berlin");
        assertThat(units.get(5).text()).contains("OnCalendar=Mon *-*-* 03:00:00 Europe/Berlin");
        assertThat(units.get(7).text()).contains("OnCalendar=*-*-* *:00/15:00 UTC");
    }

    @Test
    void systemdCalendarsForMonthEndsCronAndOddIntervals() {
        java.time.ZoneId utc = java.time.ZoneId.of("UTC");
        assertThat(CalendarText.onCalendar(ScheduleParser.parse("monthly 31 04:00", utc))).containsExactly(
                "*-01,03,05,07,08,10,12-31 04:00:00 UTC", "*-02,04,06,09,11~01 04:00:00 UTC");
        assertThat(CalendarText.onCalendar(ScheduleParser.parse("monthly 1 04:00", utc))).containsExactly("*-*-01 04:00:00 UTC");
        assertThat(CalendarText.onCalendar(ScheduleParser.parse("0 4 1 * mon", utc)))
                .containsExactly("*-*-01 04:00:00 UTC", "Mon *-*-* 04:00:00 UTC");
        assertThat(CalendarText.onCalendar(ScheduleParser.parse("*/30 22-23 * * *", utc))).containsExactly("*-*-* 22,23:00,30:00 UTC");
        assertThat(CalendarText.onCalendar(ScheduleParser.parse("hourly 22:00-02:00", utc))).containsExactly("*-*-* 22..23,00..02:00:00 UTC");
        assertThat(CalendarText.cron(ScheduleParser.parse("hourly 22:00-02:00", utc))).containsExactly(new CalendarText.CronLine("0 22-23,0-2 * * *", null));
        assertThat(CalendarText.onCalendar(ScheduleParser.parse("every 7m", utc))).isEmpty();
        assertThat(CalendarText.onCalendar(ScheduleParser.parse("every 6h", utc))).containsExactly("*-*-* 00/6:00:00 UTC");
    }

    @Test
    void theListingGivesTheNextRunsInLocalTimeAndUtc() throws IOException {
        ScheduleListing listing = ScheduleListing.of(plan(SEED.replace("Europe/Berlin", "America/New_York")),
                Instant.parse("2027-03-13T12:00:00Z"), 3);
        ScheduleListing.Job full = listing.jobs().get(0);
        assertThat(full.key()).isEqualTo("full:restaurant_ordering");
        assertThat(full.database()).isEqualTo("restaurant_ordering");
        assertThat(full.nextRuns()).extracting(ScheduleListing.Run::local).containsExactly(
                "2027-03-14T03:00:00-04:00", "2027-03-15T02:00:00-04:00", "2027-03-16T02:00:00-04:00");
        assertThat(full.nextRuns()).extracting(ScheduleListing.Run::utc).containsExactly(
                "2027-03-14T07:00:00Z", "2027-03-15T06:00:00Z", "2027-03-16T06:00:00Z");
        assertThat(listing.jobs().get(3).database()).isNull();
    }
}
