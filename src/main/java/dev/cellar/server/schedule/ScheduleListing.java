package dev.cellar.server.schedule;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What {@code cellar schedule list} shows: every job of the plan with its next runs, in the job's
 * local time and in UTC, computed from a given instant (now, or {@code --at}).
 *
 * @param at   the instant the runs are computed from
 * @param jobs the plan's jobs, in plan order
 */
public record ScheduleListing(Instant at, List<Job> jobs) {

    /** One job; {@code database} is null for a repository-wide job. */
    public record Job(String key, String kind, String database, String schedule, String timeZone, long timeoutMinutes,
            List<Run> nextRuns) {
    }

    /**
     * One coming run: {@code local} is the ISO local date-time with its offset (the offset shows
     * which side of a daylight-saving change it is on), {@code utc} the same instant in UTC.
     */
    public record Run(String local, String utc) {
        static Run of(Instant instant, java.time.ZoneId zone) {
            return new Run(ZonedDateTime.ofInstant(instant, zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), instant.toString());
        }
    }

    /** The listing of {@code plan} from {@code at}, with {@code runs} coming runs per job. */
    public static ScheduleListing of(JobPlan plan, Instant at, int runs) {
        List<Job> jobs = plan.jobs().stream().map(job -> new Job(job.key(), job.kind(),
                job.databaseIfAny().map(db -> db.name()).orElse(null), job.schedule().expression(),
                job.schedule().zone().getId(), job.timeout().toMinutes(),
                job.schedule().upcoming(at, runs).stream().map(i -> Run.of(i, job.schedule().zone())).toList())).toList();
        return new ScheduleListing(at, jobs);
    }
}
