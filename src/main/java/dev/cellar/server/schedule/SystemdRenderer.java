package dev.cellar.server.schedule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan as systemd units: a {@code .service} that runs the job's commands and a {@code .timer}
 * whose {@code OnCalendar=} is written in the job's time zone. {@code Persistent=true} makes
 * systemd run a slot missed while the machine was off once at boot, as {@code cellar server} does.
 */
public final class SystemdRenderer {
    private SystemdRenderer() {
    }

    /** One unit file: its name and its text. */
    public record UnitFile(String name, String text) {
    }

    /** The unit name of a job: {@code cellar-full-restaurant_ordering}. */
    public static String unitName(ScheduledJob job) {
        return "cellar-" + job.key().replace(':', '-');
    }

    public static List<UnitFile> render(JobPlan plan, Path configFile, String executable) {
        List<UnitFile> files = new ArrayList<>();
        for (ScheduledJob job : plan.jobs()) {
            if (job.schedule() instanceof Off) {
                continue;
            }
            String unit = unitName(job);
            StringBuilder service = new StringBuilder();
            service.append("[Unit]\nDescription=Cellar ").append(job.kind()).append(" (").append(job.key()).append(")\n")
                    .append("[Service]\nType=oneshot\n");
            if (configFile != null) {
                service.append("Environment=CELLAR_CONFIG=").append(configFile).append('\n');
            }
            for (JobCommand command : plan.commandsOf(job)) {
                command.environment().forEach((name, value) -> service.append("Environment=").append(name).append('=')
                        .append(value).append('\n'));
                service.append("ExecStart=").append(ShellWords.commandLine(executable,
                        new JobCommand(java.util.Map.of(), command.arguments()))).append('\n');
            }
            service.append("TimeoutStartSec=").append(job.timeout().toMinutes()).append("min\n");
            files.add(new UnitFile(unit + ".service", service.toString()));

            StringBuilder timer = new StringBuilder();
            timer.append("[Unit]\nDescription=Cellar ").append(job.kind()).append(" (").append(job.key()).append("): ")
                    .append(job.schedule().expression()).append(", ").append(job.schedule().zone().getId()).append("\n\n")
                    .append("[Timer]\n");
            List<String> calendars = CalendarText.onCalendar(job.schedule());
            if (calendars.isEmpty()) {
                // an interval that no calendar spec can align: elapsed time since the last run instead
                long minutes = ((Interval) job.schedule()).every().toMinutes();
                timer.append("OnBootSec=").append(minutes).append("min\nOnUnitActiveSec=").append(minutes).append("min\n");
            } else {
                calendars.forEach(spec -> timer.append("OnCalendar=").append(spec).append('\n'));
                timer.append("Persistent=true\n");
            }
            timer.append("Unit=").append(unit).append(".service\n\n[Install]\nWantedBy=timers.target\n");
            files.add(new UnitFile(unit + ".timer", timer.toString()));
        }
        return files;
    }
}
