package dev.cellar.cli;

import dev.cellar.config.ConfigLoader;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.ScheduleListing;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = {"List every scheduled job with its next runs, in the job's time zone and in UTC.",
        "Needs only the configuration (schedule.*, databases:), not the repository."},
        footer = {"", "Examples:",
                "  cellar schedule list",
                "  cellar schedule list --at 2027-03-13T12:00:00Z     # the runs around a daylight-saving change",
                "  cellar schedule list --json --runs 10"})
final class ScheduleListCommand implements Callable<Integer> {
    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm xxx", java.util.Locale.ROOT);

    @Mixin
    HelpOption help;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $CELLAR_CONFIG, then ./cellar.yaml).")
    Path config;

    @Option(names = "--json", description = "Print the result as JSON (for scripts).")
    boolean json;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "Compute the runs after this instant instead of now (2027-03-13T12:00:00Z, or with an offset).")
    String at;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs to show per job (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() {
        if (runs < 1 || runs > 1000) {
            throw new CellarException(ErrorCode.USAGE, "--runs must be 1..1000, got " + runs, "the default shows the next 3 runs");
        }
        JobPlan plan = JobPlan.of(ConfigLoader.load(config, System.getenv(), Map.of()));
        ScheduleListing listing = ScheduleListing.of(plan, from(), runs);
        new Output(System.out, json).result(listing, human(listing));
        return 0;
    }

    private Instant from() {
        if (at == null) {
            return Instant.now();
        }
        try {
            return OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            throw new CellarException(ErrorCode.USAGE, "--at '" + at + "' is not an instant",
                    "write it as 2027-03-13T12:00:00Z or 2027-03-13T13:00:00+01:00");
        }
    }

    private static String human(ScheduleListing listing) {
        StringBuilder text = new StringBuilder("next runs after " + listing.at() + "\n");
        for (ScheduleListing.Job job : listing.jobs()) {
            text.append('\n').append(job.key()).append("  ").append(job.kind()).append(", ").append(job.schedule())
                    .append(", ").append(job.timeZone()).append(", time-out ").append(job.timeoutMinutes()).append(" min\n");
            if (job.nextRuns().isEmpty()) {
                text.append("  never (off)\n");
            }
            for (ScheduleListing.Run run : job.nextRuns()) {
                ZonedDateTime local = ZonedDateTime.parse(run.local());
                text.append("  ").append(local.format(HUMAN)).append("   ").append(run.utc()).append('\n');
            }
        }
        return text.toString();
    }
}
