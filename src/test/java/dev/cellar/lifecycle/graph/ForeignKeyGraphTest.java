package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import static dev.cellar.lifecycle.graph.Graphs.graph;
import static dev.cellar.lifecycle.graph.Graphs.key;
import static dev.cellar.lifecycle.graph.Graphs.t;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Children, parents and the deletion order over hand-built graphs: a ring, a self-reference, two paths to one table. */
class ForeignKeyGraphTest {

    private static final ForeignKeyGraph RESTAURANT = graph(Map.of(),
            key("menu_items", "cafe_id", "cafes", "id"),
            key("orders", "cafe_id", "cafes", "id"),
            key("orders", "user_id", "users", "id"),
            key("order_items", "order_id,order_created_at", "orders", "id,created_at"),
            key("order_items", "menu_item_id", "menu_items", "id"),
            key("payments", "order_id,order_created_at", "orders", "id,created_at"),
            key("user_activity", "user_id", "users", "id"));

    @Test
    void childrenAreTheReferencingTablesAndParentsTheReferencedOnes() {
        assertThat(RESTAURANT.children(t("orders"))).containsExactly(t("order_items"), t("payments"));
        assertThat(RESTAURANT.parents(t("order_items"))).containsExactly(t("menu_items"), t("orders"));
        assertThat(RESTAURANT.children(t("payments"))).isEmpty();
    }

    @Test
    void descendantsFollowEveryPathOnceAndAncestorsGoUpFromThere() {
        assertThat(RESTAURANT.descendants(t("cafes")))
                .containsExactly(t("menu_items"), t("order_items"), t("orders"), t("payments"));
        assertThat(RESTAURANT.ancestors(t("order_items"))).containsExactly(t("cafes"), t("menu_items"), t("orders"), t("users"));
    }

    @Test
    void deletionOrderPutsEveryChildBeforeItsParentsAlsoWhenTwoPathsLeadToOneTable() {
        Set<TableName> all = Set.of(t("cafes"), t("menu_items"), t("orders"), t("order_items"), t("payments"), t("users"), t("user_activity"));
        DeletionOrder order = RESTAURANT.deletionOrder(all);
        assertThat(order.tables()).hasSize(7);
        for (ForeignKey key : RESTAURANT.keys()) {
            assertThat(order.tables().indexOf(key.table())).as(key.constraint())
                    .isLessThan(order.tables().indexOf(key.referencedTable()));
        }
        assertThat(order.cycles()).isEmpty();
        assertThat(order.selfReferencing()).isEmpty();
    }

    @Test
    void deletionOrderIgnoresKeysToTablesOutsideTheSet() {
        DeletionOrder order = RESTAURANT.deletionOrder(Set.of(t("payments"), t("cafes")));
        assertThat(order.tables()).containsExactly(t("cafes"), t("payments"));
    }

    @Test
    void aRingOfTablesIsReportedAndKeptTogetherAfterItsChildren() {
        // departments.head -> employees, employees.department -> departments; badges -> employees
        ForeignKeyGraph ring = graph(Map.of(),
                key("departments", "head_id", "employees", "id"),
                key("employees", "department_id", "departments", "id"),
                key("badges", "employee_id", "employees", "id"),
                key("departments", "site_id", "sites", "id"));
        DeletionOrder order = ring.deletionOrder(Set.of(t("departments"), t("employees"), t("badges"), t("sites")));
        assertThat(order.hasCycles()).isTrue();
        assertThat(order.cycles()).containsExactly(List.of(t("departments"), t("employees")));
        assertThat(order.tables()).containsExactly(t("badges"), t("departments"), t("employees"), t("sites"));
    }

    @Test
    void aSelfReferenceIsNoRingButIsReported() {
        ForeignKeyGraph tree = graph(Map.of(), key("employees", "manager_id", "employees", "id"), key("employees", "cafe_id", "cafes", "id"));
        DeletionOrder order = tree.deletionOrder(Set.of(t("employees"), t("cafes")));
        assertThat(order.tables()).containsExactly(t("employees"), t("cafes"));
        assertThat(order.cycles()).isEmpty();
        assertThat(order.selfReferencing()).containsExactly(t("employees"));
        assertThat(tree.children(t("employees"))).containsExactly(t("employees"));
    }

    @Test
    void compositeKeysKeepTheirColumnOrderAndRejectUnpairedColumns() {
        ForeignKey composite = key("order_items", "order_created_at,order_id", "orders", "created_at,id");
        assertThat(composite.columns()).containsExactly("order_created_at", "order_id");
        assertThat(composite.referencedColumns()).containsExactly("created_at", "id");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> key("a", "x,y", "b", "id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pairs");
    }

    @Test
    void tableNamesKeepTheirCaseAndQuoteForSql() {
        assertThat(TableName.parse("app.Order")).isEqualTo(new TableName("app", "Order"));
        assertThat(TableName.parse("users").schema()).isEqualTo("public");
        assertThat(new TableName("my \"app\"", "Order").quoted()).isEqualTo("\"my \"\"app\"\"\".\"Order\"");
        assertThat(Subject.parse("app.Order:7")).isEqualTo(new Subject(new TableName("app", "Order"), "7"));
    }
}
