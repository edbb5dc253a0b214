package dev.cellar.cli;

import dev.cellar.app.GcService;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.GarbageCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gc", description = {"Delete chunks that no backup references (left by interrupted or expired backups).",
                "Takes the exclusive repository lock, so it waits for (or refuses to run beside) any backup. "
                        + "Deletes nothing if any backup manifest cannot be read."})
final class GcCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = {"-n", "--dry-run"}, description = "Only report what would be deleted.")
    boolean dryRun;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            GcService.GcRun run = new GcService(context.app()).collect(dryRun);
            List<String> texts = new ArrayList<>();
            Map<String, GarbageCollector.Result> results = new LinkedHashMap<>();
            for (GcService.CopyCollected copy : run.copies()) {
                String text = text(copy.result());
                texts.add(run.severalCopies() ? "== " + copy.copy() + " (" + copy.location() + ")\n" + text : text);
                results.put(copy.copy(), copy.result());
            }
            Output output = new Output(System.out, common.json);
            if (!run.severalCopies()) {
                output.result(results.values().iterator().next(), texts.get(0));
            } else {
                output.result(Map.of("copies", results), String.join("\n\n", texts));
            }
            return run.unreachable().isEmpty() ? 0 : ErrorCode.PARTIAL.exitCode();
        }
    }

    private String text(GarbageCollector.Result result) {
        StringBuilder text = new StringBuilder();
        result.staleLocksBroken().forEach(l -> text.append("removed stale lock of ").append(l.holder()).append(" ('")
                .append(l.operation()).append("' since ").append(l.startedAt()).append(")\n"));
        text.append(dryRun ? "would delete " : "deleted ").append(result.chunksDeleted()).append(" of ")
                .append(result.chunksBefore()).append(" chunks (")
                .append(result.deleteMarkersOnly() ? Output.bytes(result.bytesMadeNoncurrent()) + (dryRun ? " would become" : " now")
                        + " noncurrent behind " + result.chunksDeleted() + " delete markers, freed 0 B" : Output.bytes(result.bytesFreed()))
                .append(") not used by any of ").append(result.backups()).append(" backups");
        if (result.deleteMarkersOnly() && result.chunksDeleted() > 0) {
            text.append('\n').append(ExpireReport.VERSIONED_BUCKET_NOTE);
        }
        if (!result.locked().none()) {
            text.append("\n").append(result.locked().describe()).append(" (WORM retention; gc removes them once it has passed)");
        }
        if (result.tempFilesRemoved() > 0) {
            text.append("; ").append(dryRun ? "would remove " : "removed ").append(result.tempFilesRemoved()).append(" temporary files");
        }
        return text.toString();
    }
}
