package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WalInventoryTest {
    private static final long SEG = WalFileName.DEFAULT_SEGMENT_SIZE;

    @Test
    void reportsEachGapAsARangePerTimeline() {
        List<WalFileName> files = Stream.of(seg(1, 1), seg(1, 2), seg(1, 6), seg(1, 7), seg(1, 9) + ".partial",
                seg(1, 0x100), "00000002.history", seg(2, 7), seg(2, 8)).map(WalFileName::parse).toList();
        WalInventory inventory = WalInventory.of(files, SEG);
        assertThat(inventory.gaps()).extracting(Object::toString).containsExactly(
                "timeline 1: 000000010000000000000003 .. 000000010000000000000005 missing (3 segments)",
                "timeline 1: 000000010000000000000008 .. 0000000100000000000000FF missing (248 segments)");
        assertThat(inventory.timelines()).hasSize(2);
        assertThat(inventory.timelines().get(0).partials()).isEqualTo(1);
        assertThat(inventory.timelines().get(1).history()).isTrue();
        assertThat(inventory.timelines().get(1).first()).isEqualTo(seg(2, 7));
        assertThat(inventory.segmentCount()).isEqualTo(7);
    }

    @Test
    void aContiguousArchiveHasNoGaps() {
        List<WalFileName> files = Stream.of(seg(1, 0xFE), seg(1, 0xFF), seg(1, 0x100)).map(WalFileName::parse).toList();
        assertThat(WalInventory.of(files, SEG).gaps()).isEmpty();
    }

    private static String seg(int tli, long n) {
        return WalFileName.segment(tli, n, SEG).name();
    }
}
