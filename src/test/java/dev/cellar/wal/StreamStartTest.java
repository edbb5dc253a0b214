package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamStartTest {
    private static final long SEG = WalFileName.DEFAULT_SEGMENT_SIZE;

    private static List<WalFileName> files(String... names) {
        return java.util.Arrays.stream(names).map(WalFileName::parse).toList();
    }

    @Test
    void anEmptySpoolStartsAtTheSegmentHoldingTheSlotPositionOnTheServersTimeline() {
        StreamStart start = StreamStart.choose(List.of(), TimelineHistory.root(1), 5 * SEG + 1234, SEG);
        assertThat(start).isEqualTo(new StreamStart(1, 5 * SEG));
    }

    @Test
    void aPartialIsReceivedAgainFromItsStartAndACompleteSegmentIsFollowedByTheNext() {
        TimelineHistory history = TimelineHistory.root(1);
        assertThat(StreamStart.choose(files("000000010000000000000003", "000000010000000000000004.partial"), history, 0, SEG))
                .isEqualTo(new StreamStart(1, 4 * SEG));
        assertThat(StreamStart.choose(files("000000010000000000000003", "000000010000000000000004"), history, 0, SEG))
                .isEqualTo(new StreamStart(1, 5 * SEG));
    }

    @Test
    void aSpoolEndingOnTheParentTimelineFinishesItBeforeTheSwitchThenFollowsTheChild() {
        // timeline 2 branched off timeline 1 in segment 6
        TimelineHistory history = TimelineHistory.parse(2, "1\t0/6000A28\tno recovery target specified\n");
        assertThat(StreamStart.choose(files("000000010000000000000004"), history, 0, SEG)).isEqualTo(new StreamStart(1, 5 * SEG));
        assertThat(StreamStart.choose(files("000000010000000000000005"), history, 0, SEG)).isEqualTo(new StreamStart(2, 6 * SEG));
        assertThat(StreamStart.choose(files("000000010000000000000006.partial"), history, 0, SEG)).isEqualTo(new StreamStart(2, 6 * SEG));
        assertThat(StreamStart.choose(files("000000010000000000000006.partial", "000000020000000000000007.partial"), history, 0, SEG))
                .isEqualTo(new StreamStart(2, 7 * SEG));
    }

    @Test
    void filesOfATimelineOutsideTheServersHistoryAreIgnored() {
        TimelineHistory history = TimelineHistory.parse(3, "1\t0/6000A28\tfirst\n");
        assertThat(StreamStart.choose(files("000000020000000000000009.partial"), history, 7 * SEG + 10, SEG))
                .isEqualTo(new StreamStart(3, 7 * SEG));
    }
}
