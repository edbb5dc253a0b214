package dev.cellar.drill.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckSetParserTest {

    private static final String GOOD = """
            statement-timeout-seconds: 5
            max-ratio: 2.5
            invariants:
              - name: paid-orders
                description: every paid order has a payment
                sql: |
                  SELECT id FROM orders
              - name: totals
                description: totals add up
                returns: verdict
                sql: SELECT false
            queries:
              - name: recent
                description: recent orders
                sql: SELECT 1
            """;

    @Test
    void readsInvariantsQueriesTimeoutAndRatioWithTheirLines() {
        CheckSet set = CheckSetParser.parse(GOOD, "good.yaml");

        assertThat(set.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(set.maxRatio().getAsDouble()).isEqualTo(2.5);
        assertThat(set.invariants()).extracting(Invariant::name).containsExactly("paid-orders", "totals");
        assertThat(set.invariants().get(0).returns()).isEqualTo(Invariant.Returns.ROWS);
        assertThat(set.invariants().get(0).sql()).isEqualTo("SELECT id FROM orders");
        assertThat(set.invariants().get(0).line()).isEqualTo(4);
        assertThat(set.invariants().get(1).returns()).isEqualTo(Invariant.Returns.VERDICT);
        assertThat(set.queries()).singleElement().satisfies(q -> {
            assertThat(q.name()).isEqualTo("recent");
            assertThat(q.line()).isEqualTo(13);
        });
    }

    @Test
    void withoutTimeoutOrRatioTheDefaultsApplyAndTheRatioIsReportOnly() {
        CheckSet set = CheckSetParser.parse("queries:\n  - name: q\n    description: d\n    sql: SELECT 1\n", "q.yaml");

        assertThat(set.statementTimeout()).isEqualTo(CheckSet.DEFAULT_STATEMENT_TIMEOUT);
        assertThat(set.maxRatio()).isEmpty();
        assertThat(set.invariants()).isEmpty();
    }

    @Test
    void theShippedRestaurantSetHasInvariantsAndFourToSixQueries() {
        CheckSet set = CheckSetParser.shipped("restaurant_ordering").orElseThrow();

        assertThat(set.invariants()).extracting(Invariant::name).contains("payments-within-order-total", "delivered-orders-captured");
        assertThat(set.queries()).hasSizeBetween(4, 6);
        assertThat(set.maxRatio()).isEmpty();
        assertThat(CheckSetParser.shipped("some_other_db")).isEmpty();
    }

    @Test
    void aFileThatIsNotYamlNamesTheFileAndTheLine() {
        assertInvalid("invariants:\n  - name: a\n    sql: [unclosed\n", "broken.yaml line 4", "not valid YAML");
    }

    @Test
    void anEntryWithoutSqlNamesTheEntryAndItsLine() {
        assertInvalid("invariants:\n  - name: a\n    description: d\n    sql: SELECT 1\n  - name: b\n    description: no query here\n",
                "line 5", "invariant 'b' has no sql:");
    }

    @Test
    void aFileWithNeitherInvariantsNorQueriesNamesNoQuery() {
        assertInvalid("statement-timeout-seconds: 10\n", "line 1", "names no query");
        assertInvalid("", "line 1", "is empty");
    }

    @Test
    void unknownKeysDuplicatesAndBadValuesAreRefusedWithTheirLine() {
        assertInvalid("invariants:\n  - name: a\n    descripton: d\n    sql: SELECT 1\n", "line 3", "unknown key 'descripton'");
        assertInvalid("queries:\n  - name: a\n    description: d\n    sql: SELECT 1\n  - name: a\n    description: d\n    sql: SELECT 2\n",
                "line 5", "query 'a' is defined twice");
        assertInvalid("max-ratio: 0.5\nqueries:\n  - name: a\n    description: d\n    sql: SELECT 1\n", "line 1", "max-ratio");
        assertInvalid("statement-timeout-seconds: soon\nqueries:\n  - name: a\n    description: d\n    sql: SELECT 1\n", "line 1",
                "statement-timeout-seconds");
        assertInvalid("invariants:\n  - name: a\n    description: d\n    returns: maybe\n    sql: SELECT 1\n", "line 4", "returns:");
        assertInvalid("invariants: SELECT 1\n", "line 1", "must be a list");
    }

    @Test
    void aConfiguredFileIsReadFromDiskAndAMissingOneIsAConfigError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checks.yaml");
        Files.writeString(file, GOOD);

        assertThat(CheckSetChoice.of(file, "restaurant_ordering").invariants()).hasSize(2);
        assertThat(CheckSetChoice.of(null, "restaurant_ordering").source()).contains("shipped");
        assertThat(CheckSetChoice.of(null, "elsewhere").isEmpty()).isTrue();
        assertThatThrownBy(() -> CheckSetChoice.of(dir.resolve("missing.yaml"), "restaurant_ordering"))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("missing.yaml");
    }

    private static void assertInvalid(String yaml, String where, String what) {
        assertThatThrownBy(() -> CheckSetParser.parse(yaml, "broken.yaml"))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("broken.yaml")
                .hasMessageContaining(where)
                .hasMessageContaining(what);
    }
}
