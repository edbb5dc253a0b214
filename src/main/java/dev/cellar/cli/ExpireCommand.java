package dev.cellar.cli;

import dev.cellar.storage.Reachability;
import dev.cellar.config.RetentionConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.expire.Expire;
import dev.cellar.expire.ExpireResult;
import java.util.ArrayList;
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

    /** One copy's expiry, when several copies are configured (each has its own retention). */
    record CopyExpired(String copy, String location, ExpireResult result) {
    }

    @Override
    public Integer call() {
        CommandContext context = CommandContext.load(common, null);
        List<CommandContext.Copy> copies = context.openEachCopy();
        List<CopyExpired> results = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (CommandContext.Copy copy : copies) {
            RetentionConfig configured = copy.target().retention();
            RetentionConfig retention = new RetentionConfig(fullDays == null ? configured.fullDays() : fullDays,
                    walDays == null ? configured.walDays() : walDays);
            try {
                results.add(new CopyExpired(copy.target().name(), copy.target().location(),
                        new Expire(copy.repository(), retention).run(dryRun, context.lockWait())));
            } catch (CellarException e) {
                if (copies.size() == 1 || !Reachability.unreachable(e)) {
                    throw e;
                }
                // an unreachable copy never blocks the others; what it holds is expired by the next run
                unreachable.add(copy.target().name());
                context.warnPartial("expire of copy '" + copy.target().name() + "' stopped: " + e.getMessage(),
                        "run 'cellar expire" + (dryRun ? " --dry-run" : "") + "' again once " + copy.target().name() + " answers");
            }
        }
        if (results.isEmpty()) {
            throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "no copy of the repository could be expired: "
                    + String.join(", ", unreachable) + " could not be reached", "run 'cellar expire' again once they answer");
        }
        Output output = new Output(System.out, common.json);
        if (results.size() == 1) {
            output.result(results.get(0).result(), ExpireReport.text(results.get(0).result()));
        } else {
            output.result(java.util.Map.of("copies", results), String.join("\n\n", results.stream()
                    .map(r -> "== " + r.copy() + " (" + r.location() + ")\n" + ExpireReport.text(r.result())).toList()));
        }
        return unreachable.isEmpty() ? 0 : ErrorCode.PARTIAL.exitCode();
    }
}
