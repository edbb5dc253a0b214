package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShipPolicyTest {
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private static final long SEG = WalFileName.DEFAULT_SEGMENT_SIZE;
    private final ShipPolicy policy = new ShipPolicy(Duration.ofSeconds(1), Duration.ofMillis(100));

    private static SpoolFile file(String name, Instant modified) {
        return new SpoolFile(WalFileName.parse(name), SEG, modified);
    }

    private static List<String> names(List<SpoolFile> files) {
        return files.stream().map(f -> f.name().name()).toList();
    }

    @Test
    void finishedSegmentsAndHistoryFilesAreShippedOnceInNameOrder() {
        List<SpoolFile> listing = List.of(file("00000001000000000000000A", T0), file("00000001000000000000000B", T0),
                file("00000002.history", T0), file("00000002000000000000000C.partial", T0));
        ShipPlan first = policy.plan(listing, Set.of(), Map.of(), T0, false);
        assertThat(names(first.finished())).containsExactly("00000001000000000000000A", "00000001000000000000000B", "00000002.history");

        ShipPlan second = policy.plan(listing, Set.of("00000001000000000000000A", "00000001000000000000000B", "00000002.history"),
                Map.of(), T0, false);
        assertThat(second.finished()).isEmpty();
    }

    @Test
    void allButTheNewestFinishedSegmentMayLeaveTheSpool() {
        List<SpoolFile> listing = List.of(file("00000001000000000000000A", T0), file("00000001000000000000000B", T0),
                file("00000001000000000000000C", T0), file("00000001000000000000000D.partial", T0), file("00000001.history", T0));
        ShipPlan plan = policy.plan(listing, Set.of(), Map.of(), T0, false);
        assertThat(plan.deleteLocally()).extracting(WalFileName::name)
                .containsExactly("00000001000000000000000A", "00000001000000000000000B");
    }

    @Test
    void newestSegmentAcrossATimelineSwitchIsTheOneOnTheHigherTimeline() {
        List<SpoolFile> listing = List.of(file("00000001000000000000000C", T0), file("00000002000000000000000C", T0));
        ShipPlan plan = policy.plan(listing, Set.of(), Map.of(), T0, false);
        assertThat(plan.deleteLocally()).extracting(WalFileName::name).containsExactly("00000001000000000000000C");
    }

    @Test
    void aPartialNeverShippedIsDueAtOnce() {
        ShipPlan plan = policy.plan(List.of(file("00000001000000000000000D.partial", T0)), Set.of(), Map.of(), T0, false);
        assertThat(names(plan.partials())).containsExactly("00000001000000000000000D.partial");
    }

    @Test
    void aChangedPartialIsShippedSoThatWalArrivingAfterTheLastReadLandsWithinTheRpo() {
        // last read began at T0 and took 100 ms; looks at the spool every 100 ms: due from T0 + 800 ms
        Instant modified = T0.minusSeconds(10);
        Map<String, PartialShipped> shipped = new HashMap<>();
        shipped.put("00000001000000000000000D.partial", new PartialShipped(SEG, modified, T0, T0.plusMillis(100)));
        SpoolFile changed = file("00000001000000000000000D.partial", T0.plusMillis(300));

        ShipPlan early = policy.plan(List.of(changed), Set.of(), shipped, T0.plusMillis(790), false);
        assertThat(early.partials()).isEmpty();
        assertThat(names(early.pending())).containsExactly("00000001000000000000000D.partial");

        ShipPlan due = policy.plan(List.of(changed), Set.of(), shipped, T0.plusMillis(800), false);
        assertThat(names(due.partials())).containsExactly("00000001000000000000000D.partial");
        assertThat(due.pending()).isEmpty();
    }

    @Test
    void theFinalPassShipsAChangedPartialWithoutWaitingForTheRpo() {
        Map<String, PartialShipped> shipped = Map.of("00000001000000000000000D.partial",
                new PartialShipped(SEG, T0.minusSeconds(10), T0, T0.plusMillis(100)));
        SpoolFile changed = file("00000001000000000000000D.partial", T0.plusMillis(300));
        ShipPlan plan = policy.plan(List.of(changed), Set.of(), shipped, T0.plusMillis(400), true);
        assertThat(names(plan.partials())).containsExactly("00000001000000000000000D.partial");
    }

    @Test
    void anUnchangedPartialIsNotShippedAgainEvenLongAfter() {
        Instant modified = T0.minusSeconds(10);
        Map<String, PartialShipped> shipped = Map.of("00000001000000000000000D.partial",
                new PartialShipped(SEG, modified, T0, T0.plusMillis(100)));
        ShipPlan plan = policy.plan(List.of(file("00000001000000000000000D.partial", modified)), Set.of(), shipped,
                T0.plusSeconds(3600), true);
        assertThat(plan.partials()).isEmpty();
        assertThat(plan.pending()).isEmpty();
        assertThat(plan.shipsAnything()).isFalse();
    }

    @Test
    void aPartialModifiedJustBeforeItsReadBeganCountsAsChangedOnceMore() {
        // the kernel's coarse file clock may not move for a write right after the read began
        Instant modified = T0.minusMillis(10);
        Map<String, PartialShipped> shipped = Map.of("00000001000000000000000D.partial",
                new PartialShipped(SEG, modified, T0, T0.plusMillis(100)));
        ShipPlan plan = policy.plan(List.of(file("00000001000000000000000D.partial", modified)), Set.of(), shipped,
                T0.plusSeconds(2), false);
        assertThat(names(plan.partials())).containsExactly("00000001000000000000000D.partial");
    }

    @Test
    void eachPartialIsJudgedOnItsOwnAfterATimelineSwitch() {
        Map<String, PartialShipped> shipped = Map.of("00000001000000000000000D.partial",
                new PartialShipped(SEG, T0.minusSeconds(10), T0, T0.plusMillis(100)));
        List<SpoolFile> listing = List.of(file("00000001000000000000000D.partial", T0.minusSeconds(10)),
                file("00000002000000000000000D.partial", T0.plusMillis(200)));
        ShipPlan plan = policy.plan(listing, Set.of(), shipped, T0.plusMillis(300), false);
        assertThat(names(plan.partials())).containsExactly("00000002000000000000000D.partial");
    }
}
