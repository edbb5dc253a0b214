package dev.cellar.drill.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The pure decisions of the checks: sequence positions, invariant outcomes, pg_amcheck's report, timing verdicts. */
class CheckDecisionsTest {

    @Test
    void aSequenceBelowItsColumnsMaxFailsWithTheCollisionSpelledOut() {
        CheckResult result = ascending(41, true, 1200).verdict();

        assertThat(result.failed()).isTrue();
        assertThat(result.detail()).isEqualTo(
                "sequence public.orders_id_seq is at 41, below max(public.orders.id) = 1200: the next insert would collide");
    }

    @Test
    void isCalledDecidesWhetherLastValueIsTakenAlready() {
        // setval(s, 1200, true): the next value is 1201, fine; setval(s, 1200, false): the next value is 1200 itself, a collision
        assertThat(ascending(1200, true, 1200).verdict().failed()).isFalse();
        assertThat(ascending(1200, false, 1200).verdict().failed()).isTrue();
        assertThat(ascending(1201, false, 1200).verdict().failed()).isFalse();
        assertThat(ascending(1200, false, 1200).position()).isEqualTo(1199);
    }

    @Test
    void aDescendingSequenceIsComparedWithTheColumnsMin() {
        SequenceState below = new SequenceState("public.s", "public.t.id", -50, true, -1, BigDecimal.valueOf(-1), BigDecimal.valueOf(-50));
        SequenceState behind = new SequenceState("public.s", "public.t.id", -10, true, -1, BigDecimal.valueOf(-1), BigDecimal.valueOf(-50));

        assertThat(below.verdict().failed()).isFalse();
        assertThat(behind.verdict().failed()).isTrue();
        assertThat(behind.verdict().detail()).contains("above min(public.t.id) = -50");
    }

    @Test
    void anEmptyTablePassesWhateverTheSequence() {
        assertThat(new SequenceState("public.s", "public.t.id", 1, false, 1, null, null).verdict().failed()).isFalse();
    }

    @Test
    void anInvariantWithOffendersNamesItselfItsRuleTheCountAndSamples() {
        Invariant rule = new Invariant("payments-within-order-total", "payments never exceed the total", "SELECT 1", Invariant.Returns.ROWS, 3);

        CheckResult result = new InvariantOutcome(7, List.of("12", "40", "41")).verdict(rule);

        assertThat(result.failed()).isTrue();
        assertThat(result.subject()).isEqualTo("payments-within-order-total");
        assertThat(result.detail()).contains("payments-within-order-total", "payments never exceed the total", "7 offending row(s)", "12, 40, 41");
        assertThat(new InvariantOutcome(0, List.of()).verdict(rule).failed()).isFalse();
    }

    @Test
    void aVerdictQueryHoldsOnFalseZeroOrNull() {
        assertThat(InvariantOutcome.ofVerdict("f").offenders()).isZero();
        assertThat(InvariantOutcome.ofVerdict("0").offenders()).isZero();
        assertThat(InvariantOutcome.ofVerdict("0.00").offenders()).isZero();
        assertThat(InvariantOutcome.ofVerdict(null).offenders()).isZero();
        assertThat(InvariantOutcome.ofVerdict("t").offenders()).isOne();
        assertThat(InvariantOutcome.ofVerdict("3").offenders()).isOne();
    }

    @Test
    void pgAmcheckReportGivesOneFailurePerRelationWithItsMessage() {
        String stdout = """
                btree index "scratch_1.public.users_pkey":
                    ERROR:  line pointer points past end of tuple space in index "users_pkey"
                    DETAIL:  Index tid=(1,20) lp_off=11742, lp_len=30687 lp_flags=1.
                heap table "scratch_1.public.orders_y2024m01", block 3, offset 7:
                    xmin 1234 precedes relation freeze threshold 0:567
                heap table "scratch_1.public.orders_y2024m01", block 4, offset 1:
                    another problem
                """;

        List<CheckResult> results = AmcheckReport.parse(stdout);

        assertThat(results).extracting(CheckResult::subject).containsExactly("public.users_pkey", "public.orders_y2024m01");
        assertThat(results).allMatch(CheckResult::failed);
        assertThat(results.get(0).detail()).isEqualTo("btree index public.users_pkey is corrupt: ERROR:  line pointer points past end"
                + " of tuple space in index \"users_pkey\"");
        assertThat(results.get(1).detail()).contains("block 3, offset 7:", "xmin 1234 precedes relation freeze threshold");
        assertThat(AmcheckReport.parse("")).isEmpty();
    }

    @Test
    void theMedianIgnoresOneSlowRun() {
        assertThat(QueryTimings.median(3.0, 250.0, 4.0)).isEqualTo(4.0);
        assertThat(QueryTimings.median(1.0, 3.0)).isEqualTo(2.0);
    }

    @Test
    void withoutASourceTheRatioIsNaN() {
        assertThat(QueryTimings.timing("q", -1, 5).ratio()).isNaN();
        assertThat(QueryTimings.timing("q", 2, 5).ratio()).isEqualTo(2.5);
    }

    @Test
    void performanceFailsOnlyOnAnErrorOrAboveASetMaxRatio() {
        List<QueryTiming> slow = List.of(QueryTimings.timing("recent", 2, 10), QueryTimings.timing("open", 1, 1));

        CheckResult reportOnly = QueryTimings.verdict(slow, Map.of(), OptionalDouble.empty(), "");
        CheckResult bounded = QueryTimings.verdict(slow, Map.of(), OptionalDouble.of(3), "");
        CheckResult broken = QueryTimings.verdict(slow, Map.of("open", "relation \"orders\" does not exist"), OptionalDouble.empty(), "");

        assertThat(reportOnly.failed()).isFalse();
        assertThat(reportOnly.detail()).contains("5.00x", "report only");
        assertThat(bounded.failed()).isTrue();
        assertThat(bounded.detail()).contains("recent 5.0x").doesNotContain("open 1.0x");
        assertThat(broken.failed()).isTrue();
        assertThat(broken.detail()).contains("query open failed on the restored copy: relation \"orders\" does not exist");
        assertThat(QueryTimings.verdict(List.of(QueryTimings.timing("q", -1, 9)), Map.of(), OptionalDouble.of(1.5), "").failed()).isFalse();
    }

    private static SequenceState ascending(long lastValue, boolean isCalled, long max) {
        return new SequenceState("public.orders_id_seq", "public.orders.id", lastValue, isCalled, 1, BigDecimal.valueOf(max), BigDecimal.ONE);
    }
}
