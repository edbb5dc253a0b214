package dev.cellar.cli;

import dev.cellar.config.ConfigLoader;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.server.schedule.CrontabRenderer;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.SystemdRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "print", description = {"Write the configured schedule for sites that keep cron or systemd timers "
        + "instead of cellar server: a crontab (the default; with the default settings, the seed's crontab) or a "
        + ".service + .timer pair per job.",
        "Run the jobs from cron, from timers or from cellar server: only one of them."},
        footer = {"", "Examples:",
                "  cellar schedule print | crontab -u postgres -      # replaces that user's crontab",
                "  cellar schedule print --systemd --output-dir /etc/systemd/system",
                "  cellar schedule print --cellar /opt/cellar/cellar  # where cron finds Cellar"})
final class SchedulePrintCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $CELLAR_CONFIG, then ./cellar.yaml); the commands written read the same file.")
    Path config;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    static final class Format {
        @Option(names = "--crontab", description = "A crontab (the default).")
        boolean crontab;

        @Option(names = "--systemd", description = "A .service and a .timer unit per job, OnCalendar= in the job's time zone.")
        boolean systemd;
    }

    @Option(names = "--cellar", paramLabel = "PATH", defaultValue = "/usr/local/bin/cellar",
            description = "How cron or systemd starts Cellar (default: ${DEFAULT-VALUE}).")
    String executable;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "With --systemd: write the unit files into this folder instead of printing them.")
    Path outputDir;

    @Override
    public Integer call() throws IOException {
        if (outputDir != null && !format.systemd) {
            throw new CellarException(ErrorCode.USAGE, "--output-dir writes systemd units and needs --systemd",
                    "redirect the crontab instead: cellar schedule print > cellar.crontab");
        }
        Path file = ConfigLoader.configFile(config, System.getenv()).orElse(null);
        JobPlan plan = JobPlan.of(ConfigLoader.load(config, System.getenv(), Map.of()));
        if (!format.systemd) {
            System.out.print(CrontabRenderer.render(plan, file, executable));
            return 0;
        }
        List<SystemdRenderer.UnitFile> units = SystemdRenderer.render(plan, file, executable);
        if (outputDir != null) {
            Files.createDirectories(outputDir);
            for (SystemdRenderer.UnitFile unit : units) {
                Files.writeString(outputDir.resolve(unit.name()), unit.text());
                System.out.println("wrote " + outputDir.resolve(unit.name()));
            }
            System.out.println("enable the timers with: systemctl daemon-reload && systemctl enable --now "
                    + String.join(" ", units.stream().map(SystemdRenderer.UnitFile::name).filter(n -> n.endsWith(".timer")).toList()));
            return 0;
        }
        for (SystemdRenderer.UnitFile unit : units) {
            System.out.println("# ---- " + unit.name() + " ----");
            System.out.println(unit.text());
        }
        return 0;
    }
}
