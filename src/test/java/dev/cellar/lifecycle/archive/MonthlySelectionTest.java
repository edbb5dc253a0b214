package dev.cellar.lifecycle.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.DeleteAction;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.policy.CategoryTable;
import dev.cellar.lifecycle.policy.DataPolicyParser;
import dev.cellar.lifecycle.policy.RowDating;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonthlySelectionTest {
    private static final TableName ORDERS = new TableName("public", "orders");
    private static final TableName ITEMS = new TableName("public", "order_items");

    @Test
    void decemberEndsAtTheFirstInstantOfJanuaryInUtc() {
        YearMonth december = YearMonth.of(2026, 12);
        assertThat(MonthlySelection.start(december)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(MonthlySelection.end(december)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void aMonthThatHasNotEndedIsRefusedAndTheMessageSuggestsTheLastOne() {
        assertThatThrownBy(() -> MonthlySelection.requireEnded(YearMonth.of(2026, 10), Instant.parse("2026-10-31T23:59:59Z")))
                .isInstanceOf(CellarException.class).hasMessageContaining("has not ended").hasMessageContaining("2026-11-01T00:00:00Z");
        MonthlySelection.requireEnded(YearMonth.of(2026, 10), Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void aMonthIsWrittenAsYearDashMonth() {
        assertThat(MonthlySelection.parseMonth("2026-10")).isEqualTo(YearMonth.of(2026, 10));
        assertThatThrownBy(() -> MonthlySelection.parseMonth("10/2026")).hasMessageContaining("'10/2026' is not a month")
                .extracting(e -> ((CellarException) e).hint()).asString().contains("YYYY-MM");
    }

    @Test
    void theLockRunsFromTheMonthsEndForTheLongestRetentionOfThePolicy() {
        // restaurant_ordering: audit logs are kept 10 years, the longest of its categories
        assertThat(MonthlySelection.lockedUntil(DataPolicyParser.restaurantOrdering(), YearMonth.of(2026, 10)))
                .isEqualTo(Instant.parse("2036-11-01T00:00:00Z"));
    }

    @Test
    void anOwnColumnIsComparedWithTheMonthsBounds() {
        String condition = MonthlySelection.condition(new CategoryTable(ORDERS, new RowDating.OwnColumn("created_at")), graph(),
                YearMonth.of(2026, 10));
        assertThat(condition).isEqualTo("\"created_at\" >= timestamptz '2026-10-01T00:00:00Z' AND \"created_at\" < timestamptz '2026-11-01T00:00:00Z'");
    }

    @Test
    void aParentsColumnIsReachedWithExistsOverEveryColumnOfTheForeignKey() {
        String condition = MonthlySelection.condition(new CategoryTable(ITEMS, new RowDating.ReferencedColumn(ORDERS, "created_at")), graph(),
                YearMonth.of(2026, 10));
        assertThat(condition).startsWith("EXISTS (SELECT 1 FROM \"public\".\"orders\" cellar_dating_parent WHERE ")
                .contains("cellar_dating_parent.\"id\" = \"public\".\"order_items\".\"order_id\"")
                .contains("cellar_dating_parent.\"created_at\" = \"public\".\"order_items\".\"order_created_at\"")
                .contains("cellar_dating_parent.\"created_at\" >= timestamptz '2026-10-01T00:00:00Z'");
    }

    @Test
    void aParentWithoutForeignKeyIsAPolicyError() {
        assertThatThrownBy(() -> MonthlySelection.condition(new CategoryTable(ORDERS, new RowDating.ReferencedColumn(ITEMS, "x")), graph(),
                YearMonth.of(2026, 10))).hasMessageContaining("has no foreign key to order_items");
    }

    private static ForeignKeyGraph graph() {
        return new ForeignKeyGraph(List.of(new ForeignKey("items_order", ITEMS, List.of("order_id", "order_created_at"), ORDERS,
                List.of("id", "created_at"), DeleteAction.CASCADE, false, false)), Map.of(ORDERS, List.of("id", "created_at")));
    }
}
