package dev.cellar.cli;

import dev.cellar.storage.Reachability;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.GarbageCollector;
import dev.cellar.repo.Repository;
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
        CommandContext context = CommandContext.load(common, null);
        List<CommandContext.Copy> copies = context.openEachCopy();
        List<String> texts = new ArrayList<>();
        Map<String, GarbageCollector.Result> results = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        for (CommandContext.Copy copy : copies) {
            Collected collected;
            try {
                collected = collect(copy.repository(), context);
            } catch (CellarException e) {
                if (copies.size() == 1 || !Reachability.unreachable(e)) {
                    throw e;
                }
                // an unreachable copy never blocks the others
                unreachable.add(copy.target().name());
                context.warnPartial("gc of copy '" + copy.target().name() + "' stopped: " + e.getMessage(),
                        "run 'cellar gc' again once " + copy.target().name() + " answers");
                continue;
            }
            texts.add(copies.size() == 1 ? collected.text()
                    : "== " + copy.target().name() + " (" + copy.target().location() + ")\n" + collected.text());
            results.put(copy.target().name(), collected.result());
        }
        if (results.isEmpty()) {
            throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "no copy of the repository could be collected: "
                    + String.join(", ", unreachable) + " could not be reached", "run 'cellar gc' again once they answer");
        }
        Output output = new Output(System.out, common.json);
        if (copies.size() == 1) {
            output.result(results.values().iterator().next(), texts.get(0));
        } else {
            output.result(Map.of("copies", results), String.join("\n\n", texts));
        }
        return unreachable.isEmpty() ? 0 : ErrorCode.PARTIAL.exitCode();
    }

    private record Collected(GarbageCollector.Result result, String text) {
    }

    private Collected collect(Repository repository, CommandContext context) {
        long started = System.nanoTime();
        GarbageCollector.Result result = new GarbageCollector(repository).collect(dryRun, context.lockWait());
        repository.audit().append("gc", repository.storage().describe(), "ok",
                (dryRun ? "dry run: " : "") + result.unreferenced().size() + " unreferenced chunks"
                        + (result.locked().none() ? "" : "; " + result.locked().describe()),
                result.bytesFreed(), java.time.Duration.ofNanos(System.nanoTime() - started));
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
        return new Collected(result, text.toString());
    }
}
