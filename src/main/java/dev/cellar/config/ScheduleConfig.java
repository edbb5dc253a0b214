package dev.cellar.config;

import dev.cellar.server.schedule.Schedule;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * What {@code cellar server} runs when: the repository-wide jobs and one entry per database.
 * Defaults are the seed's crontab (docs/scheduling.md).
 *
 * @param sync      how often to check whether a copy of the repository is behind
 * @param quarterlyReport when the server writes the quarterly audit report of the quarter that ended (docs/reports.md)
 * @param annualReport    when the server writes the annual audit report of the year that ended
 * @param timeZone  the zone of {@code schedule.*} (the system's unless set)
 * @param timeout   how long a repository-wide run may take before it counts as timed out
 * @param databases the databases to back up, in file order; never empty
 */
public record ScheduleConfig(Schedule sync, Schedule quarterlyReport, Schedule annualReport, ZoneId timeZone, Duration timeout,
                             List<ScheduledDatabase> databases) {
    public static final String DEFAULT_FULL = "daily 02:00";
    public static final String DEFAULT_INCREMENTAL = "hourly 07:00-23:00";
    public static final String DEFAULT_VERIFY = "weekly mon 03:00";
    public static final String DEFAULT_SYNC = "every 15m";
    /** The 2nd of each quarter's first month, after the monthly drill (1st, 03:00) and archive (1st, 04:00) of the month before. */
    public static final String DEFAULT_QUARTERLY_REPORT = "0 6 2 1,4,7,10 *";
    /** The 2nd of January, after the last quarterly report of the year. */
    public static final String DEFAULT_ANNUAL_REPORT = "0 7 2 1 *";
    public static final int DEFAULT_TIMEOUT_MINUTES = 360;
    /** The seed's objective for operational data; financial data asks for 900. */
    public static final int DEFAULT_RPO_OBJECTIVE_SECONDS = 3600;

    public ScheduleConfig {
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(quarterlyReport, "quarterlyReport");
        Objects.requireNonNull(annualReport, "annualReport");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(timeout, "timeout");
        databases = List.copyOf(databases);
        if (databases.isEmpty()) {
            throw new IllegalArgumentException("at least one database is scheduled");
        }
    }
}
