package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The reader on WAL laid out here byte by byte (small pages and segments, so records cross page
 * and segment boundaries at chosen places); WalRecordReaderIT checks it against real WAL.
 */
class WalRecordReaderTest {
    private static final int PAGE = 1024;
    private static final int SEGMENT = 4 * PAGE;

    @Test
    void readsRecordsAcrossPagesAndSegmentsIncludingSplitHeaders() {
        SyntheticWal wal = new SyntheticWal();
        wal.commit(700, 10);
        wal.restorePoint("before the big one");
        wal.commit(701, 5000); // spans several pages and the first segment boundary
        wal.fillTo(2 * usablePerSegment() - 16); // the next header starts 16 bytes before the second segment ends
        wal.restorePoint("split header");
        wal.abort(702);
        List<Long> lsns = wal.recordLsns();
        List<byte[]> segments = wal.segments(4);

        List<WalRecordReader.Event> events = new ArrayList<>();
        WalRecordReader reader = new WalRecordReader(SEGMENT);
        for (int i = 0; i < segments.size(); i++) {
            reader.read((long) i * SEGMENT, segments.get(i), events::add);
        }
        assertThat(reader.damagedRecords()).isZero();
        long splitHeader = lsns.get(lsns.size() - 2);
        long abort = lsns.get(lsns.size() - 1);
        assertThat(events).extracting(e -> e.kind() + " " + e.lsn() + " " + e.xid() + " " + e.name()).containsExactly(
                "COMMIT " + lsns.get(0) + " 700 null",
                "RESTORE_POINT " + lsns.get(1) + " -1 before the big one",
                "COMMIT " + lsns.get(2) + " 701 null",
                "RESTORE_POINT " + splitHeader + " -1 split header",
                "ABORT " + abort + " 702 null");
        assertThat(lsns.get(2) / SEGMENT).isZero();
        assertThat(splitHeader / SEGMENT).isEqualTo(1);
        assertThat((splitHeader + 24) / SEGMENT).isEqualTo(2);

        // from the second segment on: the end of the big commit is skipped, the rest is read
        List<WalRecordReader.Event> fromSecond = new ArrayList<>();
        WalRecordReader later = new WalRecordReader(SEGMENT);
        for (int i = 1; i < segments.size(); i++) {
            later.read((long) i * SEGMENT, segments.get(i), fromSecond::add);
        }
        assertThat(fromSecond).extracting(WalRecordReader.Event::lsn).containsExactly(splitHeader, abort);
        assertThat(later.damagedRecords()).isZero();
    }

    @Test
    void aDamagedRecordIsSkippedToTheNextPageAndAMisplacedSegmentIsNotRead() {
        SyntheticWal wal = new SyntheticWal();
        wal.commit(800, 3000);
        wal.commit(801, 10);
        wal.commit(802, 10);
        wal.commit(803, 10);
        List<Long> lsns = wal.recordLsns();
        List<byte[]> segments = wal.segments(2);

        List<WalRecordReader.Event> first = new ArrayList<>();
        WalRecordReader reader = new WalRecordReader(SEGMENT);
        byte[] damaged = segments.get(0).clone();
        int secondRecord = (int) (lsns.get(1) % SEGMENT);
        damaged[secondRecord + 30] ^= 1;
        reader.read(0, damaged, first::add);
        assertThat(reader.damagedRecords()).isEqualTo(1);
        // after the damaged record, reading resumes at the next page's first record
        assertThat(first).extracting(WalRecordReader.Event::xid).contains(800L).doesNotContain(801L);

        List<WalRecordReader.Event> wrongPlace = new ArrayList<>();
        WalRecordReader misplaced = new WalRecordReader(SEGMENT);
        misplaced.read(5L * SEGMENT, segments.get(0), wrongPlace::add);
        assertThat(wrongPlace).isEmpty();
        assertThat(misplaced.damagedRecords()).isEqualTo(1);
    }

    private static int usablePerSegment() {
        return (PAGE - 40) + 3 * (PAGE - 24);
    }

    /** Records laid out the way PostgreSQL reserves WAL: contiguous in the bytes after page headers, 8-aligned. */
    private static final class SyntheticWal {
        private final ByteBuffer usable = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final List<Integer> starts = new ArrayList<>();
        private final List<Integer> ends = new ArrayList<>();
        private long previous;

        void commit(long xid, int extra) {
            record(1, 0x00, xid, mainData(extra));
        }

        void abort(long xid) {
            record(1, 0x20, xid, mainData(8));
        }

        void restorePoint(String name) {
            ByteBuffer main = ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN);
            main.putLong(0, 1_000_000L);
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            main.put(8, bytes);
            record(0, 0x70, 0, main.array());
        }

        /** Pads with XLOG no-op records (rmgr 0, info 0) until the usable position is {@code target}. */
        void fillTo(int target) {
            // room stays a multiple of 8 and never drops below 32, so the last record ends exactly at target
            while (usable.position() < target) {
                int room = target - usable.position();
                record(0, 0, 0, new byte[room > 264 ? 200 : room - 32]);
            }
        }

        private static byte[] mainData(int extra) {
            byte[] main = new byte[8 + extra];
            ByteBuffer.wrap(main).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 2_000_000L);
            return main;
        }

        private void record(int rmid, int info, long xid, byte[] main) {
            boolean longData = main.length > 255;
            int length = 24 + (longData ? 5 : 2) + main.length;
            ByteBuffer record = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(0, length);
            record.putInt(4, (int) xid);
            record.putLong(8, previous);
            record.put(16, (byte) info);
            record.put(17, (byte) rmid);
            int at = 24;
            if (longData) {
                record.put(at, (byte) 254);
                record.putInt(at + 1, main.length);
                at += 5;
            } else {
                record.put(at, (byte) 255);
                record.put(at + 1, (byte) main.length);
                at += 2;
            }
            record.put(at, main);
            CRC32C crc = new CRC32C();
            crc.update(record.array(), 24, length - 24);
            crc.update(record.array(), 0, 20);
            record.putInt(20, (int) crc.getValue());
            int start = usable.position();
            starts.add(start);
            ends.add(start + length);
            usable.put(record.array());
            usable.position((usable.position() + 7) & ~7);
            previous = lsnOf(start);
        }

        List<Long> recordLsns() {
            return starts.stream().map(SyntheticWal::lsnOf).toList();
        }

        static long lsnOf(int usablePosition) {
            int segment = usablePosition / usablePerSegment();
            int within = usablePosition % usablePerSegment();
            int page = within < PAGE - 40 ? 0 : 1 + (within - (PAGE - 40)) / (PAGE - 24);
            int pageStart = page == 0 ? 0 : (PAGE - 40) + (page - 1) * (PAGE - 24);
            return (long) segment * SEGMENT + (long) page * PAGE + (page == 0 ? 40 : 24) + (within - pageStart);
        }

        List<byte[]> segments(int count) {
            List<byte[]> segments = new ArrayList<>();
            int from = 0;
            for (int s = 0; s < count; s++) {
                ByteBuffer segment = ByteBuffer.allocate(SEGMENT).order(ByteOrder.LITTLE_ENDIAN);
                for (int page = 0; page < SEGMENT / PAGE; page++) {
                    int at = page * PAGE;
                    int header = page == 0 ? 40 : 24;
                    int remainder = 0;
                    for (int r = 0; r < starts.size(); r++) {
                        if (starts.get(r) < from && ends.get(r) > from) {
                            remainder = ends.get(r) - from;
                        }
                    }
                    segment.putShort(at, (short) 0xD10D);
                    segment.putShort(at + 2, (short) ((page == 0 ? 2 : 0) | (remainder > 0 ? 1 : 0)));
                    segment.putInt(at + 4, 1);
                    segment.putLong(at + 8, (long) s * SEGMENT + at);
                    segment.putInt(at + 16, remainder);
                    if (page == 0) {
                        segment.putLong(at + 24, 42L);
                        segment.putInt(at + 32, SEGMENT);
                        segment.putInt(at + 36, PAGE);
                    }
                    byte[] content = Arrays.copyOfRange(usable.array(), from, from + PAGE - header);
                    segment.put(at + header, content);
                    from += PAGE - header;
                }
                segments.add(segment.array());
            }
            return segments;
        }
    }
}
