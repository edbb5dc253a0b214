package dev.cellar.wal;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file name PostgreSQL hands to {@code archive_command} / {@code restore_command}: a segment
 * ({@code 000000010000000000000003}), a partial segment left by a timeline switch or by
 * {@code pg_receivewal} ({@code ….partial}), a timeline history file ({@code 00000002.history})
 * or a backup history file ({@code …00000003.00000028.backup}).
 */
public record WalFileName(String name, Kind kind, int timeline, long log, long segment) implements Comparable<WalFileName> {
    public static final long DEFAULT_SEGMENT_SIZE = 16L * 1024 * 1024;

    public enum Kind { SEGMENT, PARTIAL, HISTORY, BACKUP_HISTORY }

    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})");
    private static final Pattern PARTIAL = Pattern.compile(SEGMENT.pattern() + "\\.partial");
    private static final Pattern HISTORY = Pattern.compile("([0-9A-F]{8})\\.history");
    private static final Pattern BACKUP_HISTORY = Pattern.compile(SEGMENT.pattern() + "\\.[0-9A-F]{8}\\.backup");

    /** Parses a bare file name; throws a usage error for anything PostgreSQL would not archive. */
    public static WalFileName parse(String name) {
        Matcher m;
        if ((m = SEGMENT.matcher(name)).matches()) {
            return of(name, Kind.SEGMENT, m);
        }
        if ((m = PARTIAL.matcher(name)).matches()) {
            return of(name, Kind.PARTIAL, m);
        }
        if ((m = BACKUP_HISTORY.matcher(name)).matches()) {
            return of(name, Kind.BACKUP_HISTORY, m);
        }
        if ((m = HISTORY.matcher(name)).matches()) {
            return new WalFileName(name, Kind.HISTORY, Integer.parseUnsignedInt(m.group(1), 16), 0, 0);
        }
        throw new CellarException(ErrorCode.USAGE, "'" + name + "' is not a WAL file name",
                "expected a segment (24 hex digits), a .partial, .history or .backup file as PostgreSQL names them");
    }

    public static boolean isWalFileName(String name) {
        try {
            parse(name);
            return true;
        } catch (CellarException e) {
            return false;
        }
    }

    private static WalFileName of(String name, Kind kind, Matcher m) {
        return new WalFileName(name, kind, Integer.parseUnsignedInt(m.group(1), 16),
                Long.parseLong(m.group(2), 16), Long.parseLong(m.group(3), 16));
    }

    /** The segment file name for a timeline and absolute segment number. */
    public static WalFileName segment(int timeline, long segmentNumber, long segmentSize) {
        long perLog = segmentsPerLog(segmentSize);
        String name = String.format(Locale.ROOT, "%08X%08X%08X", timeline, segmentNumber / perLog, segmentNumber % perLog);
        return parse(name);
    }

    /** The segment holding an LSN written as PostgreSQL prints it ({@code 0/3000028}). */
    public static WalFileName segmentOf(int timeline, String lsn, long segmentSize) {
        return segment(timeline, Lsn.parse(lsn) / segmentSize, segmentSize);
    }

    public static String historyName(int timeline) {
        return String.format(Locale.ROOT, "%08X.history", timeline);
    }

    static long segmentsPerLog(long segmentSize) {
        return 0x100000000L / segmentSize;
    }

    /** Absolute segment number (segments from LSN 0) for a segment, partial or backup history file. */
    public long segmentNumber(long segmentSize) {
        return log * segmentsPerLog(segmentSize) + segment;
    }

    /** The 24-digit segment this file belongs to (for a partial or backup history file, its segment). */
    public String segmentName() {
        return kind == Kind.HISTORY ? name : name.substring(0, 24);
    }

    /** Where the archive keeps this file: {@code wal/<timeline>/<name>}. */
    public String objectKey() {
        return dev.cellar.repo.RepositoryLayout.WAL + String.format(Locale.ROOT, "%08X", timeline) + "/" + name;
    }

    @Override
    public int compareTo(WalFileName other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
