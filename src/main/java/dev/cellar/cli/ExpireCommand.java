package dev.cellar.cli;

import dev.cellar.app.ExpireService;
import dev.cellar.error.ErrorCode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "expire", description = {"Delete backups and WAL that retention no longer needs, then their unused chunks.",
                "Keeps every backup younger than retention.full-days, the newest backup of each kind (logical: of each "
                        + "database) whatever its age, and the physical backup that point-in-time recovery to any moment of "
                        + "the last retention.wal-days starts from. WAL goes only below the first segment a kept physical "
                        + "backup needs; timeline history files always stay; with no physical backup no WAL goes. "
                        + "Deletes nothing if any backup manifest cannot be read. Takes the exclusive repository lock "
                        + "(--dry-run only a shared one). Run it with --dry-run first: it prints the exact plan. "
                        + "With several repositories configured, each copy is expired apart with its own "
                        + "retention (repositories.<name>.retention-*); --repo-name picks one. See docs/expire.md."})
final class ExpireCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = {"-n", "--dry-run"}, description = "Print the plan and delete nothing.")
    boolean dryRun;

    @Option(names = "--full-days", paramLabel = "N", description = "Keep backups this many days (overrides retention.full-days).")
    Integer fullDays;

    @Option(names = "--wal-days", paramLabel = "N",
            description = "Point-in-time recovery must reach this many days back (overrides retention.wal-days).")
    Integer walDays;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            ExpireService.ExpireRun run = new ExpireService(context.app()).expire(dryRun, fullDays, walDays);
            List<ExpireService.CopyExpired> results = run.copies();
            Output output = new Output(System.out, common.json);
            if (results.size() == 1) {
                output.result(results.get(0).result(), ExpireReport.text(results.get(0).result()));
            } else {
                output.result(java.util.Map.of("copies", results), String.join("\n\n", results.stream()
                        .map(r -> "== " + r.copy() + " (" + r.location() + ")\n" + ExpireReport.text(r.result())).toList()));
            }
            return run.unreachable().isEmpty() ? 0 : ErrorCode.PARTIAL.exitCode();
        }
    }
}
