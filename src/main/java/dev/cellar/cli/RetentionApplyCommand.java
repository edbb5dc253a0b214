package dev.cellar.cli;

import dev.cellar.lifecycle.retention.BatchPause;
import dev.cellar.lifecycle.retention.RetentionApplyResult;
import dev.cellar.lifecycle.retention.RetentionService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", description = {"Remove the rows past their retention: computes what is due (as 'retention plan' shows it), "
        + "archives those rows in one archive (kind retention) that is verified before anything is deleted, then deletes them in "
        + "small batches, children before parents, one short transaction per batch. A row that changed since and is no longer due "
        + "is skipped and counted.",
        "Safe to kill: run it again and it finishes what is still due. Every run is in the audit log with its counts."},
        footer = {"", "Examples:",
                "  cellar retention apply -d restaurant_ordering",
                "  cellar retention apply -d restaurant_ordering --batch-rows 500 --pause-ms 200   # gentle on a busy database",
                "  cellar retention apply -d restaurant_ordering --at 2027-01-01T00:00:00Z --json"})
final class RetentionApplyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Mixin
    PolicyOption policy;

    @Option(names = "--at", paramLabel = "INSTANT", description = "The moment to judge retention at, UTC (default: now).")
    Instant at;

    @Option(names = "--batch-rows", paramLabel = "N", defaultValue = "1000", description = "Rows per delete transaction (default: ${DEFAULT-VALUE}).")
    int batchRows;

    @Option(names = "--pause-ms", paramLabel = "MS", defaultValue = "0", description = "Pause between batches, in milliseconds (default: ${DEFAULT-VALUE}).")
    long pauseMs;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            Instant when = at != null ? at : context.hostClock().instant();
            RetentionApplyResult result = RetentionService.apply(context.app(),
                    new RetentionService.ApplyOptions(policy.file, when, batchRows, Duration.ofMillis(pauseMs), BatchPause.SLEEP),
                    context.hostClock());
            new Output(System.out, common.json).result(result, render(result));
        }
        return 0;
    }

    private static String render(RetentionApplyResult result) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "retention run %s on %s at %s: archived in %s, deleted %,d rows in %,d batches, skipped %,d%n", result.runId(),
                result.database(), result.at(), result.archiveId(), result.deleted(), result.batches(), result.skipped()));
        for (RetentionApplyResult.TableResult table : result.tables()) {
            text.append(String.format(Locale.ROOT, "  %-22s archived %,9d  deleted %,9d  skipped %,6d  detached %,6d%n", table.table(),
                    table.archived(), table.deleted(), table.skipped(), table.detached()));
        }
        return text.toString();
    }
}
