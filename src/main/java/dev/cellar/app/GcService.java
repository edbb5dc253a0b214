package dev.cellar.app;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.GarbageCollector;
import dev.cellar.repo.Repository;
import dev.cellar.storage.Reachability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the chunks no backup uses any more (or, dry, counts them), copy by copy, and records
 * each collection in that copy's audit trail; a copy that cannot be reached never blocks the others.
 *
 * <p>For the daemon: takes each copy's repository lock exclusively and waits for it up to the
 * context's lock wait, so it cannot run beside a backup; refuses to run when this host's clock
 * is off the storage server's (WORM). May prompt only through the context's secret prompter.
 */
public final class GcService {
    private final CellarContext context;

    public GcService(CellarContext context) {
        this.context = context;
    }

    /** One copy's collection. */
    public record CopyCollected(String copy, String location, GarbageCollector.Result result) {
    }

    /**
     * @param severalCopies whether several copies were worked on (even if some could not be reached)
     */
    public record GcRun(List<CopyCollected> copies, List<String> unreachable, boolean severalCopies) {
    }

    public GcRun collect(boolean dryRun) {
        context.warmUpManifestReading();
        List<CellarContext.Copy> copies = context.openEachCopy();
        List<CopyCollected> results = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (CellarContext.Copy copy : copies) {
            try {
                results.add(new CopyCollected(copy.target().name(), copy.target().location(), collect(copy.repository(), dryRun)));
            } catch (CellarException e) {
                if (copies.size() == 1 || !Reachability.unreachable(e)) {
                    throw e;
                }
                // an unreachable copy never blocks the others
                unreachable.add(copy.target().name());
                context.warnPartial("gc of copy '" + copy.target().name() + "' stopped: " + e.getMessage(),
                        "run 'cellar gc' again once " + copy.target().name() + " answers");
            }
        }
        if (results.isEmpty()) {
            throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "no copy of the repository could be collected: "
                    + String.join(", ", unreachable) + " could not be reached", "run 'cellar gc' again once they answer");
        }
        return new GcRun(List.copyOf(results), List.copyOf(unreachable), copies.size() > 1);
    }

    private GarbageCollector.Result collect(Repository repository, boolean dryRun) {
        long started = System.nanoTime();
        GarbageCollector.Result result = new GarbageCollector(repository).collect(dryRun, context.lockWait());
        repository.audit().append("gc", repository.storage().describe(), "ok",
                (dryRun ? "dry run: " : "") + result.unreferenced().size() + " unreferenced chunks"
                        + (result.locked().none() ? "" : "; " + result.locked().describe()),
                result.bytesFreed(), Duration.ofNanos(System.nanoTime() - started));
        return result;
    }
}
