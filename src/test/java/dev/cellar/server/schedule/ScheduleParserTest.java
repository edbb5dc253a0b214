package dev.cellar.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The expressions a DBA writes read back into the schedules they mean, and mistakes are named. */
class ScheduleParserTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void everyFormReadsBackToItsNormalText() {
        assertThat(ScheduleParser.parse("daily 2:00", UTC).expression()).isEqualTo("daily 02:00");
        assertThat(ScheduleParser.parse("  Hourly   07:00-23:00 ", UTC).expression()).isEqualTo("hourly 07:00-23:00");
        assertThat(ScheduleParser.parse("hourly", UTC).expression()).isEqualTo("hourly 00:00-23:00");
        assertThat(ScheduleParser.parse("every 15m", UTC).expression()).isEqualTo("every 15m");
        assertThat(ScheduleParser.parse("every 120min", UTC).expression()).isEqualTo("every 2h");
        assertThat(ScheduleParser.parse("weekly Monday 03:00", UTC).expression()).isEqualTo("weekly mon 03:00");
        assertThat(ScheduleParser.parse("monthly 31 04:00", UTC).expression()).isEqualTo("monthly 31 04:00");
        assertThat(ScheduleParser.parse("off", UTC)).isInstanceOf(Off.class);
        assertThat(ScheduleParser.parse("0   7-23 * * *", UTC).expression()).isEqualTo("0 7-23 * * *");
        assertThat(ScheduleParser.parse("*/10 * * jan-mar MON-fri", UTC)).isInstanceOf(WallClockSchedule.class);
    }

    @Test
    void mistakesAreSaidWithWhatIsWrong() {
        assertThatThrownBy(() -> ScheduleParser.parse("dayly 02:00", UTC)).hasMessageContaining("did you mean 'daily'");
        assertThatThrownBy(() -> ScheduleParser.parse("daily 24:00", UTC)).hasMessageContaining("'24:00' is not a time of day");
        assertThatThrownBy(() -> ScheduleParser.parse("daily", UTC)).hasMessageContaining("must be written 'daily HH:MM'");
        assertThatThrownBy(() -> ScheduleParser.parse("hourly 07:00-23:30", UTC)).hasMessageContaining("same minute");
        assertThatThrownBy(() -> ScheduleParser.parse("every 0m", UTC)).hasMessageContaining("between 1 minute and 24 hours");
        assertThatThrownBy(() -> ScheduleParser.parse("every 15s", UTC)).hasMessageContaining("every 15m or every 2h");
        assertThatThrownBy(() -> ScheduleParser.parse("weekly mo 03:00", UTC)).hasMessageContaining("'mo' is not a day of the week");
        assertThatThrownBy(() -> ScheduleParser.parse("monthly 32 04:00", UTC)).hasMessageContaining("'32' is not a day of the month");
        assertThatThrownBy(() -> ScheduleParser.parse("0 2 * *", UTC)).hasMessageContaining("has 4");
        assertThatThrownBy(() -> ScheduleParser.parse("60 2 * * *", UTC)).hasMessageContaining("cron minute field '60': 60 is outside 0..59");
        assertThatThrownBy(() -> ScheduleParser.parse("0 2 * foo *", UTC)).hasMessageContaining("cron month field 'foo'");
        assertThatThrownBy(() -> ScheduleParser.parse("0 9-5 * * *", UTC)).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> ScheduleParser.parse("0 0 30 2 *", UTC)).hasMessageContaining("names a day that never comes");
        assertThatThrownBy(() -> ScheduleParser.parse("", UTC)).isInstanceOf(ScheduleSyntaxException.class);
        assertThatThrownBy(() -> ScheduleParser.zone("Europe/Berln")).hasMessageContaining("is not a time zone");
    }
}
