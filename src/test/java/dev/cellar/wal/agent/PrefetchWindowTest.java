package dev.cellar.wal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.wal.WalFileName;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrefetchWindowTest {
    private static final long SIXTEEN_MB = 16L * 1024 * 1024;
    private final PrefetchWindow window = new PrefetchWindow(3, SIXTEEN_MB);

    private static WalFileName n(String name) {
        return WalFileName.parse(name);
    }

    @Test
    void fetchesTheNextSegmentsOfTheTimelineAcrossALogBoundary() {
        PrefetchWindow.Plan plan = window.plan(n("0000000200000000000000FE"), Set.of(), Set.of(), null);
        assertThat(plan.fetch()).containsExactly(n("0000000200000000000000FF"), n("000000020000000100000000"), n("000000020000000100000001"));
        assertThat(plan.discard()).isEmpty();
    }

    @Test
    void skipsWhatIsPresentOrOnItsWay() {
        PrefetchWindow.Plan plan = window.plan(n("000000010000000000000003"),
                Set.of(n("000000010000000000000004")), Set.of(n("000000010000000000000005")), null);
        assertThat(plan.fetch()).containsExactly(n("000000010000000000000006"));
    }

    @Test
    void discardsFilesRecoveryHasPassedOrOnAnotherTimeline() {
        PrefetchWindow.Plan plan = window.plan(n("000000010000000000000005"),
                Set.of(n("000000010000000000000004"), n("000000010000000000000005"), n("000000010000000000000006"), n("000000020000000000000006")),
                Set.of(), null);
        assertThat(plan.discard()).containsExactly(n("000000010000000000000004"), n("000000010000000000000005"), n("000000020000000000000006"));
        assertThat(plan.fetch()).containsExactly(n("000000010000000000000007"), n("000000010000000000000008"));
    }

    @Test
    void stopsBeforeTheFirstSegmentTheArchiveLacks() {
        PrefetchWindow.Plan plan = window.plan(n("000000010000000000000003"), Set.of(), Set.of(), n("000000010000000000000005"));
        assertThat(plan.fetch()).containsExactly(n("000000010000000000000004"));
    }

    @Test
    void theWindowBoundsTheFolder() {
        PrefetchWindow wide = new PrefetchWindow(8, SIXTEEN_MB);
        PrefetchWindow.Plan plan = wide.plan(n("000000010000000000000010"), Set.of(), Set.of(), null);
        assertThat(plan.fetch()).hasSize(8).last().isEqualTo(n("000000010000000000000018"));
    }

    @Test
    void otherSegmentSizesCountSegmentsPerLogCorrectly() {
        PrefetchWindow big = new PrefetchWindow(2, 1L << 30);
        assertThat(big.plan(n("000000010000000000000003"), Set.of(), Set.of(), null).fetch())
                .containsExactly(n("000000010000000100000000"), n("000000010000000100000001"));
    }

    @Test
    void nothingToFetchWithoutASegmentCursor() {
        assertThat(window.plan(null, Set.of(), Set.of(), null).fetch()).isEmpty();
        assertThat(window.plan(n("00000002.history"), Set.of(), Set.of(), null).fetch()).isEqualTo(List.of());
    }
}
