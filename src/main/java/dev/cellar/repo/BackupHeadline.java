package dev.cellar.repo;

import java.time.Instant;
import java.util.Objects;

/**
 * What a listing shows of one backup, stored sealed beside its manifest ({@code summaries/<id>})
 * so that {@code cellar list} parses a few hundred bytes per backup instead of the whole manifest
 * (a physical one lists every file of the cluster). The manifest stays the truth: the listing
 * still authenticates it whole, and uses the summary only when it was written for exactly that
 * manifest (its AES-GCM tag); otherwise it falls back to the manifest.
 *
 * @param format           the summary's own format; a summary of another format is ignored
 * @param manifestTag      the authentication tag of the sealed manifest it was written for (hex)
 * @param physicalType     a physical backup's type (full, incremental); null for a logical one
 * @param systemIdentifier a physical backup's cluster; null for a logical one
 * @param run              the {@code backup logical --all} run a logical backup belongs to; null otherwise
 */
public record BackupHeadline(int format, String id, String manifestTag, String kind, String physicalType, String database,
                             Long systemIdentifier, Instant startedAt, Instant finishedAt, long totalBytes, long storedBytes,
                             int tables, long rows, String serverVersion, Integer timeline, String startLsn, String stopLsn,
                             String run) {
    /** The only format written and read so far. */
    public static final int FORMAT = 1;

    /** The headline of a manifest whose sealed form carries {@code manifestTag}. */
    public static BackupHeadline of(BackupManifest m, String manifestTag) {
        PhysicalInfo p = m.physical();
        return new BackupHeadline(FORMAT, m.id(), manifestTag, m.kind(), p == null ? null : p.type(), m.database(),
                p == null ? null : p.systemIdentifier(), m.startedAt(), m.finishedAt(), m.totalBytes(), m.storedBytes(),
                m.tables().size(), m.totalRows(), m.serverVersion(), p == null ? null : p.timeline(), p == null ? null : p.startLsn(),
                p == null ? null : p.stopLsn(), m.globals() == null ? null : m.globals().run());
    }

    /**
     * Whether a stored summary may stand in for the manifest of backup {@code id} whose sealed
     * form carries {@code manifestTag}: only one of the known format, of that backup, written for
     * that very manifest. Anything else (an older or newer format, a summary left from a manifest
     * replaced since) is ignored and the manifest read instead.
     */
    public static boolean standsFor(BackupHeadline summary, String id, String manifestTag) {
        return summary != null && summary.format() == FORMAT && Objects.equals(summary.id(), id)
                && Objects.equals(summary.manifestTag(), manifestTag);
    }

    /** Whether this summary says what its manifest says, whichever manifest version it was written for. */
    public boolean agreesWith(BackupManifest manifest) {
        return equals(of(manifest, manifestTag));
    }
}
