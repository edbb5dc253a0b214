package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoveryChainTest {
    private static final long SEG = WalFileName.DEFAULT_SEGMENT_SIZE;

    @Test
    void walksOneTimelineUntilTheFirstGap() {
        Set<String> archived = names(seg(1, 3), seg(1, 4), seg(1, 5), seg(1, 7));
        RecoveryChain chain = RecoveryChain.walk(archived, TimelineHistory.root(1), 3, SEG);
        assertThat(chain.files()).extracting(WalFileName::name).containsExactly(seg(1, 3), seg(1, 4), seg(1, 5));
        assertThat(chain.firstMissing().name()).isEqualTo(seg(1, 6));
        assertThat(chain.reaches(Lsn.parse("0/5FFFFFF"), SEG)).isTrue();
        assertThat(chain.reaches(Lsn.parse("0/6000000"), SEG)).isFalse();
    }

    @Test
    void switchesToTheNewTimelineAtTheSegmentWhereItBranched() {
        // timeline 2 branched off timeline 1 in the middle of segment 5
        TimelineHistory history = TimelineHistory.parse(2, "1\t0/5000100\tno recovery target specified\n");
        Set<String> archived = names(seg(1, 3), seg(1, 4), seg(1, 5) + ".partial", seg(2, 5), seg(2, 6), seg(1, 6));
        RecoveryChain chain = RecoveryChain.walk(archived, history, 3, SEG);
        assertThat(chain.files()).extracting(WalFileName::name).containsExactly(seg(1, 3), seg(1, 4), seg(2, 5), seg(2, 6));
        assertThat(chain.firstMissing().name()).isEqualTo(seg(2, 7));
    }

    @Test
    void endsAtAStreamedPartialSegment() {
        Set<String> archived = names(seg(1, 3), seg(1, 4) + ".partial");
        RecoveryChain chain = RecoveryChain.walk(archived, TimelineHistory.root(1), 3, SEG);
        assertThat(chain.files()).extracting(WalFileName::name).containsExactly(seg(1, 3), seg(1, 4) + ".partial");
        assertThat(chain.firstMissing()).isNull();
        assertThat(chain.last().segmentName()).isEqualTo(seg(1, 4));
    }

    @Test
    void timelineHistoryKnowsItsAncestors() {
        TimelineHistory history = TimelineHistory.parse(3, "1\t0/5000100\tno recovery target specified\n\n"
                + "2\t0/9000000\tbefore 2026-11-24 05:00:00+00\n");
        assertThat(history.includes(1)).isTrue();
        assertThat(history.includes(2)).isTrue();
        assertThat(history.includes(4)).isFalse();
        assertThat(history.timelineForSegment(4, SEG)).isEqualTo(1);
        assertThat(history.timelineForSegment(5, SEG)).isEqualTo(2);
        assertThat(history.timelineForSegment(8, SEG)).isEqualTo(2);
        assertThat(history.timelineForSegment(9, SEG)).isEqualTo(3);
    }

    @Test
    void segmentNamesRoundTripThroughNumbers() {
        WalFileName name = WalFileName.segment(2, 0x1FF, SEG);
        assertThat(name.name()).isEqualTo("000000020000000100000000".substring(0, 16) + "000000FF");
        assertThat(WalFileName.segment(2, 0x100, SEG).name()).isEqualTo("000000020000000100000000");
        assertThat(WalFileName.parse("000000020000000100000000").segmentNumber(SEG)).isEqualTo(0x100);
        assertThat(WalFileName.segmentOf(1, "1/2A000028", SEG).name()).isEqualTo("00000001000000010000002A");
        assertThat(WalFileName.parse("00000002.history").objectKey()).isEqualTo("wal/00000002/00000002.history");
    }

    private static String seg(int tli, long n) {
        return WalFileName.segment(tli, n, SEG).name();
    }

    private static Set<String> names(String... names) {
        return new HashSet<>(List.of(names));
    }
}
