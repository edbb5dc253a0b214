package dev.cellar.wal;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Moves what {@code pg_receivewal} wrote into the stream spool to the repository: finished
 * segments and history files once (idempotent: the archiver may have pushed them already), the
 * growing partial segment as {@code <segment>.partial} whenever the {@link ShipPolicy} says it
 * is due. A finished segment replaces its partial in the repository.
 *
 * <p>Not thread-safe: one streamer thread plans and executes; the getters may be read from
 * another thread for status lines (they read single volatile fields).
 */
public final class StreamSpoolShipper {
    private final StreamSpool spool;
    private final WalArchive archive;
    private final ShipPolicy policy;
    private final Clock clock;

    private final Set<String> finishedShipped = new HashSet<>();
    private final Map<String, PartialShipped> partialsShipped = new HashMap<>();
    private volatile Instant pendingSince;
    private volatile WalFileName lastFinished;
    private volatile WalFileName lastPartial;
    private volatile Instant lastShipAt;
    private volatile long shippedLsn = -1;
    private volatile long finishedCount;
    private volatile long partialCount;
    private volatile Duration lastPartialTook = Duration.ZERO;

    public StreamSpoolShipper(StreamSpool spool, WalArchive archive, ShipPolicy policy, Clock clock) {
        this.spool = spool;
        this.archive = archive;
        this.policy = policy;
        this.clock = clock;
    }

    /** What a pass would do now; also notes since when received WAL waits for its shipment. */
    public ShipPlan plan(boolean finalPass) {
        Instant now = clock.instant();
        java.util.List<SpoolFile> listing = spool.list();
        // forget files that left the spool, so a stream running for months keeps no list of every segment
        Set<String> present = new HashSet<>();
        listing.forEach(file -> present.add(file.name().name()));
        finishedShipped.retainAll(present);
        partialsShipped.keySet().retainAll(present);
        ShipPlan plan = policy.plan(listing, finishedShipped, partialsShipped, now, finalPass);
        if (plan.pending().isEmpty() && plan.partials().isEmpty() && plan.finished().isEmpty()) {
            pendingSince = null;
        } else if (pendingSince == null) {
            pendingSince = now;
        }
        return plan;
    }

    /**
     * Carries out a plan.
     *
     * @param receivedBefore the position pg_receivewal had flushed before the plan's listing, if
     *                       known: once everything listed is shipped, the repository holds WAL
     *                       at least up to it
     */
    public void execute(ShipPlan plan, OptionalLong receivedBefore) {
        boolean complete = plan.pending().isEmpty();
        for (SpoolFile file : plan.finished()) {
            byte[] content = read(file);
            if (content == null) {
                complete = false;
                continue;
            }
            archive.push(file.name(), content);
            finishedShipped.add(file.name().name());
            if (file.name().kind() == WalFileName.Kind.SEGMENT) {
                removeShippedPartial(file.name());
                lastFinished = file.name();
            }
            finishedCount++;
            lastShipAt = clock.instant();
        }
        for (SpoolFile file : plan.partials()) {
            Instant readStarted = clock.instant();
            byte[] content = read(file);
            if (content == null) {
                complete = false; // finished meanwhile: shipped as a segment by the next pass
                continue;
            }
            archive.push(file.name(), content);
            Instant shippedAt = clock.instant();
            partialsShipped.put(file.name().name(), new PartialShipped(file.size(), file.modified(), readStarted, shippedAt));
            lastPartial = file.name();
            lastShipAt = shippedAt;
            lastPartialTook = Duration.between(readStarted, shippedAt);
            partialCount++;
        }
        for (WalFileName name : plan.deleteLocally()) {
            if (finishedShipped.contains(name.name())) {
                spool.delete(name);
            }
        }
        if (complete) {
            pendingSince = null;
            if (receivedBefore.isPresent() && receivedBefore.getAsLong() > shippedLsn) {
                shippedLsn = receivedBefore.getAsLong();
            }
        }
    }

    /** Plans and executes one pass. */
    public void shipNow(boolean finalPass, OptionalLong receivedBefore) {
        execute(plan(finalPass), receivedBefore);
    }

    /** How long the oldest WAL not yet in the repository has waited (zero when all is shipped). */
    public Duration waiting() {
        Instant since = pendingSince;
        return since == null ? Duration.ZERO : Duration.between(since, clock.instant());
    }

    public WalFileName lastFinished() {
        return lastFinished;
    }

    public WalFileName lastPartial() {
        return lastPartial;
    }

    /** How long the last partial shipment took from reading the file to stored in the repository. */
    public Duration lastPartialTook() {
        return lastPartialTook;
    }

    public Instant lastShipAt() {
        return lastShipAt;
    }

    /** The position the repository is known to hold WAL up to, or -1 when not known yet. */
    public long shippedLsn() {
        return shippedLsn;
    }

    public long finishedCount() {
        return finishedCount;
    }

    public long partialCount() {
        return partialCount;
    }

    /** The finished segment is the whole of what its partial held: the partial object goes. */
    private void removeShippedPartial(WalFileName segment) {
        WalFileName partial = WalFileName.parse(segment.name() + ".partial");
        partialsShipped.remove(partial.name());
        if (archive.contains(partial)) {
            archive.delete(partial);
        }
    }

    /** The file's bytes, or null when it is gone (a partial renamed to its finished name). */
    private byte[] read(SpoolFile file) {
        try {
            return Files.readAllBytes(spool.path(file.name()));
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot read " + spool.path(file.name()) + " from the WAL stream spool: "
                    + e.getMessage(), "check the spool folder's permissions");
        }
    }
}
