package dev.cellar.lifecycle.retention;

import static dev.cellar.lifecycle.retention.RestaurantGraph.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.lifecycle.graph.DeleteAction;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.policy.DataPolicy;
import dev.cellar.lifecycle.policy.DataPolicyParser;
import dev.cellar.lifecycle.policy.OnConflict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionRulesTest {
    private static final Instant AT = Instant.parse("2026-11-01T00:00:00Z");
    private static final DataPolicy SHIPPED = DataPolicyParser.restaurantOrdering();

    private static RetentionRules shipped() {
        return RetentionRules.derive(SHIPPED, RestaurantGraph.sample(), AT, ref -> false);
    }

    @Test
    void ownColumnIsDueWhenDatePlusRetentionHasPassed() {
        TableRule payments = shipped().ruleOf(t("payments")).orElseThrow();
        assertThat(payments.dueCondition()).isEqualTo("t.\"paid_at\" + interval '7 years' <= '2026-11-01 00:00:00.000000+00'::timestamptz");
    }

    @Test
    void referencedColumnIsReachedThroughTheForeignKey() {
        TableRule items = shipped().ruleOf(t("order_items")).orElseThrow();
        assertThat(items.dueCondition()).isEqualTo("EXISTS (SELECT 1 FROM \"public\".\"orders\" p WHERE (p.\"id\", p.\"created_at\") = "
                + "(t.\"order_id\", t.\"order_created_at\") AND p.\"created_at\" + interval '3 years' <= '2026-11-01 00:00:00.000000+00'::timestamptz)");
    }

    @Test
    void childrenAreEmptiedBeforeTheirParents() {
        List<String> order = shipped().tables().stream().map(r -> r.table().toString()).toList();
        assertThat(order.indexOf("payments")).isLessThan(order.indexOf("orders"));
        assertThat(order.indexOf("order_items")).isLessThan(order.indexOf("orders"));
        assertThat(order.indexOf("orders")).isLessThan(order.indexOf("users"));
        assertThat(order.indexOf("user_activity")).isLessThan(order.indexOf("users"));
        assertThat(order).containsExactlyInAnyOrder("payments", "users", "user_activity", "orders", "order_items", "inventory",
                "employees", "audit.audit_logs");
    }

    @Test
    void aPaymentHoldsItsOrderAndACascadeIntoStayingRowsHoldsToo() {
        RetentionRules rules = shipped();
        assertThat(rules.guardsInto(t("orders"))).extracting(g -> g.key().constraint(), Guard::effect)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("order_items_order_fk", Guard.Effect.HOLDS),
                        org.assertj.core.groups.Tuple.tuple("payments_order_fk", Guard.Effect.HOLDS));
        assertThat(rules.guardsInto(t("users"))).extracting(g -> g.key().constraint())
                .containsExactlyInAnyOrder("orders_user_fk", "user_activity_user_fk");
    }

    @Test
    void detachNeedsNullableColumnsElseTheRowIsHeld() {
        var key = RestaurantGraph.key("payments_order_fk", "payments", List.of("order_id"), "orders", List.of("id"), DeleteAction.NO_ACTION);
        assertThat(RetentionRules.effect(key, OnConflict.DETACH, ref -> true)).isEqualTo(Guard.Effect.DETACH);
        assertThat(RetentionRules.effect(key, OnConflict.DETACH, ref -> false)).isEqualTo(Guard.Effect.HOLDS);
        assertThat(RetentionRules.effect(key, OnConflict.KEEP_PARENT, ref -> true)).isEqualTo(Guard.Effect.HOLDS);
        var setNull = RestaurantGraph.key("x_fk", "payments", List.of("order_id"), "orders", List.of("id"), DeleteAction.SET_NULL);
        assertThat(RetentionRules.effect(setNull, OnConflict.KEEP_PARENT, ref -> false)).isEqualTo(Guard.Effect.DATABASE_DETACHES);
    }

    @Test
    void archiveIsLockedForTheLongestRetentionFromTheRun() {
        assertThat(RetentionApplier.lockedUntil(shipped())).isEqualTo(Instant.parse("2036-11-01T00:00:00Z"));
    }

    @Test
    void aRetainedTableWithoutPrimaryKeyIsRefusedByName() {
        ForeignKeyGraph graph = RestaurantGraph.sample();
        var keys = new java.util.HashMap<>(graph.primaryKeys());
        keys.remove(t("inventory"));
        assertThatThrownBy(() -> RetentionRules.derive(SHIPPED, new ForeignKeyGraph(graph.keys(), keys), AT, ref -> false))
                .hasMessageContaining("table inventory of category inventory has no primary key");
    }

    @Test
    void tablesReferencingEachOtherInARingAreRefused() {
        ForeignKeyGraph graph = RestaurantGraph.sample();
        var keys = new java.util.ArrayList<>(graph.keys());
        keys.add(RestaurantGraph.key("orders_last_payment_fk", "orders", List.of("id"), "payments", List.of("id"), DeleteAction.NO_ACTION));
        assertThatThrownBy(() -> RetentionRules.derive(SHIPPED, new ForeignKeyGraph(keys, graph.primaryKeys()), AT, ref -> false))
                .hasMessageContaining("ring");
    }

    @Test
    void theArchiveSelectsTheGoingRowsByPrimaryKey() {
        RetentionRules rules = shipped();
        assertThat(new DueSetSql(rules).selection(rules.ruleOf(t("orders")).orElseThrow()))
                .startsWith("(\"id\", \"created_at\") IN (SELECT \"id\", \"created_at\" FROM pg_temp.cellar_retention_going_");
    }
}
