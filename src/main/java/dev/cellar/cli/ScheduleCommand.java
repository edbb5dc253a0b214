package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "schedule", subcommands = {ScheduleListCommand.class, SchedulePrintCommand.class},
        description = {"Show when cellar server runs each job, or write the same schedule for cron or systemd "
                + "(see docs/scheduling.md)."})
final class ScheduleCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
