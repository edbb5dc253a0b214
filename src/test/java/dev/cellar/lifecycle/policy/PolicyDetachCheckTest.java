package dev.cellar.lifecycle.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.lifecycle.retention.RestaurantGraph;
import org.junit.jupiter.api.Test;

class PolicyDetachCheckTest {
    private static final String POLICY = """
            database: shop
            categories:
              orders:
                retention: 3 years
                on-conflict: %s
                tables:
                  orders:
                    dated-by: created_at
            not-personal:
              cafes: a business
            """;

    @Test
    void onConflictDefaultsToKeepParent() {
        assertThat(DataPolicyParser.restaurantOrdering().categories()).allMatch(c -> c.onConflict() == OnConflict.KEEP_PARENT);
    }

    @Test
    void detachOverANotNullForeignKeyIsFlagged() {
        DataPolicy policy = DataPolicyParser.parse(POLICY.formatted("detach"), "shop.yaml");
        assertThat(policy.categories().get(0).onConflict()).isEqualTo(OnConflict.DETACH);

        assertThat(PolicySchemaCheck.check(policy, RestaurantSchemas.sample(), RestaurantGraph.sample()))
                .filteredOn(f -> f.kind() == PolicyFinding.Kind.DETACH_OVER_NOT_NULL)
                .extracting(PolicyFinding::keyPath).containsOnly("categories.orders.on-conflict");
        assertThat(PolicySchemaCheck.check(policy, RestaurantSchemas.sample(), RestaurantGraph.sample()))
                .filteredOn(f -> f.kind() == PolicyFinding.Kind.DETACH_OVER_NOT_NULL)
                .extracting(PolicyFinding::message).anyMatch(m -> m.contains("payments.order_id, order_created_at (foreign key payments_order_fk"));
    }

    @Test
    void keepParentIsNeverFlagged() {
        DataPolicy policy = DataPolicyParser.parse(POLICY.formatted("keep-parent"), "shop.yaml");
        assertThat(PolicySchemaCheck.check(policy, RestaurantSchemas.sample(), RestaurantGraph.sample()))
                .noneMatch(f -> f.kind() == PolicyFinding.Kind.DETACH_OVER_NOT_NULL);
    }

    @Test
    void anUnknownOnConflictIsRefusedWithItsKeyPath() {
        assertThatThrownBy(() -> DataPolicyParser.parse(POLICY.formatted("orphan"), "shop.yaml"))
                .hasMessageContaining("categories.orders.on-conflict").hasMessageContaining("keep-parent");
    }
}
