package dev.cellar.config;

import dev.cellar.server.schedule.Schedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The drill.* settings (docs/drills.md) and when {@code cellar server} drills each scheduled
 * database (schedule.drill, monthly by default: the seed's monthly DR test).
 *
 * @param workDir   where scratch clusters go, or null for the temp folder
 * @param schedules by the database's schedule name; {@code off} where drills are off
 * @param checks    the {@code drill.checks} file, which replaces the check set shipped for the database
 *                  (docs/drill-checks.md); null for the shipped one
 */
public record DrillConfig(Duration rtoObjective, Duration rpoObjective, Duration walWait, Duration rpoWindow, Path workDir,
                          Map<String, Schedule> schedules, Path checks) {
    public static final Duration DEFAULT_RTO_OBJECTIVE = Duration.ofHours(4);
    public static final Duration DEFAULT_RPO_OBJECTIVE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_WAL_WAIT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_RPO_WINDOW = Duration.ofSeconds(5);
    /** The seed's monthly DR test: early on the 1st, after the nightly backup and before the monthly archive (04:00). */
    public static final String DEFAULT_SCHEDULE = "monthly 1 03:00";

    public DrillConfig {
        schedules = Map.copyOf(schedules);
    }

    public Optional<Schedule> scheduleOf(String scheduledDatabase) {
        return Optional.ofNullable(schedules.get(scheduledDatabase));
    }

    /** The folder scratch clusters are created in. */
    public Path workDirOrTemp() {
        return workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
