package dev.cellar.drill;

import java.time.Duration;
import java.time.Instant;

/**
 * The recovery point the drill achieved: the window of commits between the moment it treated as
 * the disaster and the newest commit the restored copy holds.
 *
 * @param rpo              disaster moment minus the newest commit recovered (never negative), or null when nothing told
 * @param disasterMoment   the commit time of the drill's last heartbeat on the source
 * @param newestRecovered  the newest commit the restored copy holds, or null
 * @param method           how the newest commit was found: heartbeat, marker, last replayed transaction, or not measured
 * @param archivedUpTo     what the WAL archive held at the disaster moment, which the copy was recovered to; null when
 *                         it could not be read (the copy was then recovered to the latest WAL the archive holds now)
 */
public record RpoMeasure(Duration rpo, Instant disasterMoment, Instant newestRecovered, String method, WalFrontier archivedUpTo) {

    public RpoMeasure(Duration rpo, Instant disasterMoment, Instant newestRecovered, String method) {
        this(rpo, disasterMoment, newestRecovered, method, null);
    }

    /** The same measure, saying what the archive held at the disaster moment. */
    public RpoMeasure recoveredTo(WalFrontier frontier) {
        return new RpoMeasure(rpo, disasterMoment, newestRecovered, method, frontier);
    }

    public static final String HEARTBEAT = "heartbeat";
    public static final String MARKER = "marker";
    public static final String REPLAY = "last replayed transaction";
    public static final String NOT_MEASURED = "not measured";

    /**
     * The most precise measure available: the newest heartbeat of this drill recovered (commits
     * every 100 ms, so to ±0.1 s), else this drill's newest marker row, else the server's last
     * replayed transaction time.
     */
    public static RpoMeasure of(Instant disasterMoment, Instant newestHeartbeat, Instant newestMarker, Instant lastReplayed) {
        if (newestHeartbeat != null) {
            return between(disasterMoment, newestHeartbeat, HEARTBEAT);
        }
        if (newestMarker != null) {
            return between(disasterMoment, newestMarker, MARKER);
        }
        if (lastReplayed != null) {
            return between(disasterMoment, lastReplayed, REPLAY);
        }
        return new RpoMeasure(null, disasterMoment, null, NOT_MEASURED);
    }

    private static RpoMeasure between(Instant disasterMoment, Instant recovered, String method) {
        Duration window = Duration.between(recovered, disasterMoment);
        return new RpoMeasure(window.isNegative() ? Duration.ZERO : window, disasterMoment, recovered, method);
    }
}
