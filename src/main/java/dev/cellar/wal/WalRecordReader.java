package dev.cellar.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads archived WAL segments record by record, far enough to see where transactions ended and
 * where restore points were created, so a restore can tell which backup ends before a
 * {@code recovery_target_xid} or {@code recovery_target_name} without starting PostgreSQL.
 *
 * <p>It relies only on what has not changed since PostgreSQL 9.5: the page headers, the
 * {@code XLogRecord} header (length, xid, previous record, info, resource manager, CRC-32C), and
 * the main-data header of records without block references. So it reads WAL of every major
 * Cellar supports, which {@code pg_waldump} (one major each) cannot. Every record's CRC is
 * checked; a record that fails it, or a page that does not belong where it lies, is skipped by
 * resynchronising at the next page, and counted in {@link #damagedRecords()}, so a caller can tell
 * "not in the WAL" from "could not read the WAL".
 *
 * <p>Segments are fed in recovery order; a segment that follows the previous one continues its
 * last record, so records that cross a segment boundary are read whole.
 */
public final class WalRecordReader {
    /** What kind of record an {@link Event} is. */
    public enum Kind {
        /** a transaction committed (also a subtransaction's own abort record, see {@link #ABORT}) */
        COMMIT,
        /** a transaction (or subtransaction) aborted: recovery_target_xid stops at it too */
        ABORT,
        /** PREPARE TRANSACTION: the xid ends later, in a COMMIT/ROLLBACK PREPARED */
        PREPARE,
        /** COMMIT PREPARED; xid is the prepared transaction's, or -1 when its record could not be parsed */
        COMMIT_PREPARED,
        /** ROLLBACK PREPARED; xid as for COMMIT_PREPARED */
        ABORT_PREPARED,
        /** pg_create_restore_point */
        RESTORE_POINT
    }

    /**
     * One record a restore may target.
     *
     * @param lsn  where the record starts
     * @param xid  the transaction id (32 bits, as WAL holds it), -1 when unknown
     * @param name the restore point's name, null for the others
     * @param time the commit, abort or restore point time, null when not read
     */
    public record Event(Kind kind, long lsn, long xid, String name, Instant time) {
    }

    static final int RECORD_HEADER = 24;
    private static final int SHORT_PAGE_HEADER = 24;
    private static final int LONG_PAGE_HEADER = 40;
    private static final int XLP_FIRST_IS_CONTRECORD = 0x0001;
    private static final int XLP_LONG_HEADER = 0x0002;
    private static final int RM_XLOG_ID = 0;
    private static final int RM_XACT_ID = 1;
    private static final int XLOG_SWITCH = 0x40;
    private static final int XLOG_RESTORE_POINT = 0x70;
    private static final int XLOG_XACT_OPMASK = 0x70;
    private static final int XLOG_XACT_HAS_INFO = 0x80;
    private static final int XLR_BLOCK_ID_DATA_SHORT = 255;
    private static final int XLR_BLOCK_ID_DATA_LONG = 254;
    private static final int XLR_BLOCK_ID_ORIGIN = 253;
    private static final int XLR_BLOCK_ID_TOPLEVEL_XID = 252;
    private static final int XACT_XINFO_HAS_DBINFO = 1;
    private static final int XACT_XINFO_HAS_SUBXACTS = 1 << 1;
    private static final int XACT_XINFO_HAS_RELFILENODES = 1 << 2;
    private static final int XACT_XINFO_HAS_INVALS = 1 << 3;
    private static final int XACT_XINFO_HAS_TWOPHASE = 1 << 4;
    private static final int XACT_XINFO_HAS_DROPPED_STATS = 1 << 8;
    private static final int RESTORE_POINT_NAME_LENGTH = 64;
    /** PostgreSQL's epoch, 2000-01-01 00:00 UTC, in Unix microseconds. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final long segmentSize;
    /** Start of the segment expected next, or -1 when the next segment starts afresh. */
    private long continuesAt = -1;
    /** The beginning of a record that continues in the next segment (empty when none). */
    private byte[] carried = new byte[0];
    private long carriedLsn;
    /** Start of the last good record, to check the next one's back pointer; -1 when unknown. */
    private long previousRecord = -1;
    private long damagedRecords;
    private long records;

    public WalRecordReader(long segmentSize) {
        this.segmentSize = segmentSize;
    }

    /** Records whose CRC or back pointer did not check out, and pages that did not belong (skipped). */
    public long damagedRecords() {
        return damagedRecords;
    }

    /** Records read whole and checked. */
    public long records() {
        return records;
    }

    /**
     * Reads one segment, as archived (a {@code .partial} ends where its WAL ends), and passes
     * every commit, abort, prepare and restore point that starts in it (or in the record carried
     * over from the previous segment) to {@code events}, in WAL order.
     *
     * @param segmentStart the LSN of the segment's first byte
     */
    public void read(long segmentStart, byte[] segment, Consumer<Event> events) {
        Pages pages = Pages.of(segmentStart, segment);
        if (pages == null) {
            damagedRecords++;
            forget();
            return;
        }
        boolean continuing = continuesAt == segmentStart;
        byte[] data;
        int position;
        int carriedLength = 0;
        if (continuing && carried.length > 0 && pages.continuation(0) == expectedRemainder()) {
            carriedLength = carried.length;
            data = new byte[carriedLength + pages.usable.length];
            System.arraycopy(carried, 0, data, 0, carriedLength);
            System.arraycopy(pages.usable, 0, data, carriedLength, pages.usable.length);
            position = 0;
        } else {
            if (!continuing || carried.length > 0 || pages.continuation(0) > 0) {
                // a new stretch of WAL, or a continuation that was overwritten after a crash: start afresh here
                previousRecord = -1;
            }
            data = pages.usable;
            position = pages.firstRecordIn(0);
        }
        carried = new byte[0];
        continuesAt = -1;
        int end = data.length;
        while (position >= 0 && position < end) {
            if (end - position < RECORD_HEADER) {
                carry(data, position, pages, carriedLength, segmentStart);
                return;
            }
            ByteBuffer header = ByteBuffer.wrap(data, position, RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            long totalLength = Integer.toUnsignedLong(header.getInt(position));
            long lsn = position < carriedLength ? carriedLsn : pages.lsnAt(position - carriedLength);
            if (totalLength == 0) {
                // zeros: the end of the WAL written to this segment
                forget();
                return;
            }
            long prev = header.getLong(position + 8);
            if (totalLength < RECORD_HEADER || previousRecord >= 0 && prev != previousRecord) {
                position = resync(pages, position - carriedLength, carriedLength);
                continue;
            }
            if (totalLength > end - position) {
                if (totalLength > Integer.MAX_VALUE - 64) {
                    position = resync(pages, position - carriedLength, carriedLength);
                    continue;
                }
                carry(data, position, pages, carriedLength, segmentStart);
                return;
            }
            int length = (int) totalLength;
            if (!crcMatches(data, position, length)) {
                position = resync(pages, position - carriedLength, carriedLength);
                continue;
            }
            records++;
            previousRecord = lsn;
            int info = data[position + 16] & 0xFF;
            int rmid = data[position + 17] & 0xFF;
            long xid = Integer.toUnsignedLong(header.getInt(position + 4));
            Event event = event(rmid, info, xid, lsn, data, position, length);
            if (event != null) {
                events.accept(event);
            }
            if (rmid == RM_XLOG_ID && (info & 0xF0) == XLOG_SWITCH) {
                // the rest of the segment is unused; the next record starts the next segment
                continuesAt = pages.usableEnd() ? segmentStart + segmentSize : -1;
                return;
            }
            position = align(position - carriedLength + length) + carriedLength;
        }
        continuesAt = pages.usableEnd() && position == end ? segmentStart + segmentSize : -1;
        if (continuesAt < 0) {
            previousRecord = -1;
        }
    }

    private long expectedRemainder() {
        if (carried.length < 4) {
            return -1;
        }
        long total = Integer.toUnsignedLong(ByteBuffer.wrap(carried, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        return total - carried.length;
    }

    private void carry(byte[] data, int position, Pages pages, int carriedLength, long segmentStart) {
        if (!pages.usableEnd()) {
            // the segment ends in damaged pages: nothing valid continues
            forget();
            return;
        }
        long lsn = position < carriedLength ? carriedLsn : pages.lsnAt(position - carriedLength);
        carried = Arrays.copyOfRange(data, position, data.length);
        carriedLsn = lsn;
        continuesAt = segmentStart + segmentSize;
    }

    private void forget() {
        carried = new byte[0];
        continuesAt = -1;
        previousRecord = -1;
    }

    /** Skips a record that does not check out: reading goes on at the first record that starts on a later page. */
    private int resync(Pages pages, int usablePosition, int carriedLength) {
        damagedRecords++;
        previousRecord = -1;
        int page = usablePosition < 0 ? 0 : pages.pageOf(usablePosition) + 1;
        while (page < pages.count) {
            int first = pages.firstRecordIn(page);
            if (first >= 0 && first > usablePosition) {
                return first + carriedLength;
            }
            page++;
        }
        return -1;
    }

    private static boolean crcMatches(byte[] data, int position, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, position + RECORD_HEADER, length - RECORD_HEADER);
        crc.update(data, position, 20);
        int stored = ByteBuffer.wrap(data, position + 20, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(position + 20);
        return (int) crc.getValue() == stored;
    }

    private static Event event(int rmid, int info, long xid, long lsn, byte[] data, int position, int length) {
        if (rmid == RM_XLOG_ID && (info & 0xF0) == XLOG_RESTORE_POINT) {
            ByteBuffer main = mainData(data, position, length);
            if (main == null || main.remaining() < 8 + 1) {
                return new Event(Kind.RESTORE_POINT, lsn, -1, null, null);
            }
            Instant time = timestamp(main.getLong(0));
            byte[] name = new byte[Math.min(main.remaining() - 8, RESTORE_POINT_NAME_LENGTH)];
            main.get(8, name);
            int nul = 0;
            while (nul < name.length && name[nul] != 0) {
                nul++;
            }
            return new Event(Kind.RESTORE_POINT, lsn, -1, new String(name, 0, nul, StandardCharsets.UTF_8), time);
        }
        if (rmid != RM_XACT_ID) {
            return null;
        }
        Kind kind = switch (info & XLOG_XACT_OPMASK) {
            case 0x00 -> Kind.COMMIT;
            case 0x10 -> Kind.PREPARE;
            case 0x20 -> Kind.ABORT;
            case 0x30 -> Kind.COMMIT_PREPARED;
            case 0x40 -> Kind.ABORT_PREPARED;
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        ByteBuffer main = kind == Kind.PREPARE ? null : mainData(data, position, length);
        Instant time = main != null && main.remaining() >= 8 ? timestamp(main.getLong(0)) : null;
        if (kind == Kind.COMMIT_PREPARED || kind == Kind.ABORT_PREPARED) {
            xid = main == null ? -1 : preparedXid(main, (info & XLOG_XACT_HAS_INFO) != 0);
        }
        return new Event(kind, lsn, xid, null, time);
    }

    /**
     * The main data of a record without block references (commit, abort and restore point
     * records have none), positioned at 0, or null when the record has block references or
     * looks malformed.
     */
    private static ByteBuffer mainData(byte[] data, int position, int length) {
        ByteBuffer record = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int at = position + RECORD_HEADER;
        int end = position + length;
        long mainLength = 0;
        while (at < end) {
            int id = data[at] & 0xFF;
            if (id == XLR_BLOCK_ID_DATA_SHORT && at + 2 <= end) {
                mainLength = data[at + 1] & 0xFF;
                break;
            } else if (id == XLR_BLOCK_ID_DATA_LONG && at + 5 <= end) {
                mainLength = Integer.toUnsignedLong(record.getInt(at + 1));
                break;
            } else if (id == XLR_BLOCK_ID_ORIGIN) {
                at += 3;
            } else if (id == XLR_BLOCK_ID_TOPLEVEL_XID) {
                at += 5;
            } else {
                return null;
            }
        }
        if (mainLength == 0 || mainLength > length - RECORD_HEADER) {
            return null;
        }
        return ByteBuffer.wrap(data, end - (int) mainLength, (int) mainLength).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The prepared transaction's id in a COMMIT/ROLLBACK PREPARED record: after the time and the
     * optional parts that precede it; -1 when a part whose size differs between majors is present.
     */
    private static long preparedXid(ByteBuffer main, boolean hasInfo) {
        try {
            if (!hasInfo) {
                return -1;
            }
            int at = 8;
            int xinfo = main.getInt(at);
            at += 4;
            if ((xinfo & XACT_XINFO_HAS_DROPPED_STATS) != 0 || (xinfo & XACT_XINFO_HAS_TWOPHASE) == 0) {
                return -1;
            }
            if ((xinfo & XACT_XINFO_HAS_DBINFO) != 0) {
                at += 8;
            }
            if ((xinfo & XACT_XINFO_HAS_SUBXACTS) != 0) {
                at += 4 + 4 * main.getInt(at);
            }
            if ((xinfo & XACT_XINFO_HAS_RELFILENODES) != 0) {
                at += 4 + 12 * main.getInt(at);
            }
            if ((xinfo & XACT_XINFO_HAS_INVALS) != 0) {
                at += 4 + 16 * main.getInt(at);
            }
            return Integer.toUnsignedLong(main.getInt(at));
        } catch (IndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static Instant timestamp(long postgresMicros) {
        long unixMicros = postgresMicros + POSTGRES_EPOCH_MICROS;
        return Instant.ofEpochSecond(Math.floorDiv(unixMicros, 1_000_000L), Math.floorMod(unixMicros, 1_000_000L) * 1000);
    }

    private static int align(int position) {
        return (position + 7) & ~7;
    }

    /**
     * A segment's pages without their headers: records lie contiguously in these "usable" bytes
     * (that is how PostgreSQL reserves WAL space), and {@link #lsnAt} maps a position back.
     * Pages end at the first one that does not belong to this segment (recycled or zeroed).
     */
    private static final class Pages {
        final long segmentStart;
        final int pageSize;
        final int count;
        final int firstHeader;
        final byte[] usable;
        final int[] flags;
        final long[] remainders;
        final boolean complete;

        private Pages(long segmentStart, int pageSize, int count, int firstHeader, byte[] usable, int[] flags, long[] remainders,
                      boolean complete) {
            this.segmentStart = segmentStart;
            this.pageSize = pageSize;
            this.count = count;
            this.firstHeader = firstHeader;
            this.usable = usable;
            this.flags = flags;
            this.remainders = remainders;
            this.complete = complete;
        }

        /** The valid pages of {@code segment}, or null when its first page is not the start of this segment. */
        static Pages of(long segmentStart, byte[] segment) {
            if (segment.length < LONG_PAGE_HEADER) {
                return null;
            }
            ByteBuffer bytes = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
            int magic = bytes.getShort(0) & 0xFFFF;
            int info = bytes.getShort(2) & 0xFFFF;
            if ((info & XLP_LONG_HEADER) == 0 || bytes.getLong(8) != segmentStart) {
                return null;
            }
            int pageSize = bytes.getInt(36);
            if (pageSize < 1024 || Integer.bitCount(pageSize) != 1 || pageSize > segment.length) {
                return null;
            }
            int pagesInFile = segment.length / pageSize;
            byte[] usable = new byte[segment.length];
            int[] flags = new int[pagesInFile];
            long[] remainders = new long[pagesInFile];
            int filled = 0;
            int valid = 0;
            for (int page = 0; page < pagesInFile; page++) {
                int at = page * pageSize;
                int pageInfo = bytes.getShort(at + 2) & 0xFFFF;
                boolean belongs = (bytes.getShort(at) & 0xFFFF) == magic && bytes.getLong(at + 8) == segmentStart + (long) at
                        && ((pageInfo & XLP_LONG_HEADER) != 0) == (page == 0);
                if (!belongs) {
                    break;
                }
                int header = page == 0 ? LONG_PAGE_HEADER : SHORT_PAGE_HEADER;
                flags[page] = pageInfo;
                remainders[page] = Integer.toUnsignedLong(bytes.getInt(at + 16));
                System.arraycopy(segment, at + header, usable, filled, pageSize - header);
                filled += pageSize - header;
                valid++;
            }
            return new Pages(segmentStart, pageSize, valid, LONG_PAGE_HEADER, Arrays.copyOf(usable, filled), flags, remainders,
                    valid == pagesInFile);
        }

        /** Whether every page of the segment was valid, so its last record may continue in the next segment. */
        boolean usableEnd() {
            return complete;
        }

        /** How many bytes of a record from the previous page open this page (0 when a record starts it). */
        long continuation(int page) {
            return page < count && (flags[page] & XLP_FIRST_IS_CONTRECORD) != 0 ? remainders[page] : 0;
        }

        /** The usable position of the first record that starts on {@code page}, or -1 when none does. */
        int firstRecordIn(int page) {
            if (page >= count) {
                return -1;
            }
            // a record continued from the previous page ends here (perhaps pages later); the next one starts aligned after it
            long start = usableStart(page) + alignLong(continuation(page));
            return start >= usable.length ? -1 : (int) start;
        }

        int usableStart(int page) {
            return page == 0 ? 0 : (pageSize - firstHeader) + (page - 1) * (pageSize - SHORT_PAGE_HEADER);
        }

        int pageOf(int usablePosition) {
            int first = pageSize - firstHeader;
            return usablePosition < first ? 0 : 1 + (usablePosition - first) / (pageSize - SHORT_PAGE_HEADER);
        }

        long lsnAt(int usablePosition) {
            int page = pageOf(usablePosition);
            int header = page == 0 ? firstHeader : SHORT_PAGE_HEADER;
            return segmentStart + (long) page * pageSize + header + (usablePosition - usableStart(page));
        }

        private static long alignLong(long value) {
            return (value + 7) & ~7L;
        }
    }
}
