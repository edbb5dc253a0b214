package dev.cellar.server.schedule;

import java.nio.file.Path;
import java.util.List;

/**
 * The plan as a crontab, for sites that keep cron: one line per job calling {@code cellar}, with
 * {@code CRON_TZ} naming each job's zone. With the default settings it is the seed's crontab.
 */
public final class CrontabRenderer {
    private CrontabRenderer() {
    }

    /**
     * @param configFile the configuration file the commands must read (null: none, defaults and variables)
     * @param executable how cron starts Cellar, e.g. {@code /usr/local/bin/cellar}
     */
    public static String render(JobPlan plan, Path configFile, String executable) {
        StringBuilder out = new StringBuilder();
        out.append("# Cellar's jobs, written by 'cellar schedule print --crontab'")
                .append(configFile == null ? "" : " from " + configFile).append(".\n");
        out.append("# Run these from cron or run 'cellar server', never both: each would run every job.\n");
        out.append("# CRON_TZ is read by cronie; another cron reads the times in the system's time zone.\n");
        out.append("# cron itself handles daylight saving (docs/scheduling.md compares it with cellar server).\n");
        if (configFile != null) {
            out.append("CELLAR_CONFIG=").append(configFile).append('\n');
        }
        for (ScheduledJob job : plan.jobs()) {
            out.append('\n').append("# ").append(job.key()).append(" (").append(job.kind()).append("): ")
                    .append(job.schedule().expression()).append(", ").append(job.schedule().zone().getId())
                    .append(", time-out ").append(job.timeout().toMinutes()).append(" min\n");
            List<CalendarText.CronLine> lines = CalendarText.cron(job.schedule());
            if (lines.isEmpty()) {
                out.append("# not written: ").append(job.schedule() instanceof Off ? "the schedule is off"
                        : "cron cannot run '" + job.schedule().expression() + "'; choose an interval that divides an hour or a day")
                        .append('\n');
                continue;
            }
            String zone = job.schedule() instanceof Interval ? "UTC" : job.schedule().zone().getId();
            out.append("CRON_TZ=").append(zone).append('\n');
            String command = ShellWords.commandLines(executable, plan.commandsOf(job)).replace("%", "\\%");
            for (CalendarText.CronLine line : lines) {
                out.append(line.fields()).append(' ');
                if (line.guard() != null) {
                    out.append(line.guard()).append(" && ");
                }
                out.append(command).append('\n');
            }
        }
        return out.toString();
    }
}
