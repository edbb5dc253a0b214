package dev.cellar.wal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what the streamer ships, from a spool listing, what was shipped before and the time:
 * a pure function, so the rules are tested with a fake clock and no files.
 *
 * <ul>
 *   <li>A finished segment or history file is shipped as soon as it appears.</li>
 *   <li>A partial segment is shipped when it changed since its last shipment and the RPO is
 *       about to pass since that shipment read the file: WAL that arrived just after that read
 *       must be in the repository within the RPO, so the next shipment starts early by the time
 *       the last one took plus one look at the spool ({@code margin}). A partial never shipped
 *       is due at once, and so is every changed partial on the final pass.</li>
 *   <li>Shipped finished segments leave the spool, except the newest: {@code pg_receivewal}
 *       resumes after the newest file it finds there.</li>
 * </ul>
 */
public final class ShipPolicy {
    /**
     * File modification times tick with the kernel's coarse clock (a few milliseconds), so a
     * write just after a shipment's read began may leave the time unchanged. A partial modified
     * this close to (or after) the start of its last read counts as changed once more.
     */
    static final Duration MTIME_GRANULARITY = Duration.ofMillis(50);

    private final Duration rpo;
    private final Duration margin;

    /**
     * @param rpo    longest time received WAL may wait for its shipment
     * @param margin how late a due shipment may be noticed (the interval between looks at the spool)
     */
    public ShipPolicy(Duration rpo, Duration margin) {
        this.rpo = rpo;
        this.margin = margin;
    }

    public Duration rpo() {
        return rpo;
    }

    ShipPlan plan(List<SpoolFile> listing, Set<String> finishedShipped, Map<String, PartialShipped> partialsShipped,
                  Instant now, boolean finalPass) {
        List<SpoolFile> finished = new ArrayList<>();
        List<SpoolFile> partials = new ArrayList<>();
        List<SpoolFile> pending = new ArrayList<>();
        List<WalFileName> deletable = new ArrayList<>();
        SpoolFile newestSegment = null;
        for (SpoolFile file : listing) {
            switch (file.name().kind()) {
                case SEGMENT, HISTORY, BACKUP_HISTORY -> {
                    if (!finishedShipped.contains(file.name().name())) {
                        finished.add(file);
                    }
                    if (file.name().kind() == WalFileName.Kind.SEGMENT && (newestSegment == null || isNewer(file, newestSegment))) {
                        newestSegment = file;
                    }
                }
                case PARTIAL -> {
                    PartialShipped last = partialsShipped.get(file.name().name());
                    if (changed(file, last)) {
                        (due(last, now, finalPass) ? partials : pending).add(file);
                    }
                }
            }
        }
        for (SpoolFile file : listing) {
            if (file.name().kind() == WalFileName.Kind.SEGMENT && file != newestSegment) {
                deletable.add(file.name());
            }
        }
        return new ShipPlan(List.copyOf(finished), List.copyOf(partials), List.copyOf(pending), List.copyOf(deletable));
    }

    static boolean changed(SpoolFile file, PartialShipped last) {
        return last == null
                || file.size() != last.size()
                || !file.modified().equals(last.modified())
                || !file.modified().isBefore(last.readStarted().minus(MTIME_GRANULARITY));
    }

    private boolean due(PartialShipped last, Instant now, boolean finalPass) {
        if (last == null || finalPass) {
            return true;
        }
        Duration took = Duration.between(last.readStarted(), last.shippedAt());
        return !now.isBefore(last.readStarted().plus(rpo).minus(took).minus(margin));
    }

    /** Newer by position; on a tie (a timeline switch inside one segment), the higher timeline. */
    private static boolean isNewer(SpoolFile a, SpoolFile b) {
        long segA = a.name().log() << 32 | a.name().segment();
        long segB = b.name().log() << 32 | b.name().segment();
        return segA != segB ? segA > segB : a.name().timeline() > b.name().timeline();
    }
}
