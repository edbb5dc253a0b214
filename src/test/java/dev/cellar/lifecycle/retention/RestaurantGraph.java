package dev.cellar.lifecycle.retention;

import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.DeleteAction;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import java.util.List;
import java.util.Map;

/** The foreign keys of the restaurant_ordering sample as plain data, as restaurant_ordering_constraints.sql declares them. */
public final class RestaurantGraph {
    private RestaurantGraph() {
    }

    public static ForeignKeyGraph sample() {
        return new ForeignKeyGraph(List.of(
                key("menu_items_cafe_fk", "menu_items", List.of("cafe_id"), "cafes", List.of("id"), DeleteAction.NO_ACTION),
                key("user_activity_user_fk", "user_activity", List.of("user_id"), "users", List.of("id"), DeleteAction.CASCADE),
                key("orders_cafe_fk", "orders", List.of("cafe_id"), "cafes", List.of("id"), DeleteAction.NO_ACTION),
                key("orders_user_fk", "orders", List.of("user_id"), "users", List.of("id"), DeleteAction.NO_ACTION),
                key("order_items_order_fk", "order_items", List.of("order_id", "order_created_at"), "orders", List.of("id", "created_at"),
                        DeleteAction.CASCADE),
                key("order_items_menu_item_fk", "order_items", List.of("menu_item_id"), "menu_items", List.of("id"), DeleteAction.NO_ACTION),
                key("payments_order_fk", "payments", List.of("order_id", "order_created_at"), "orders", List.of("id", "created_at"),
                        DeleteAction.NO_ACTION),
                key("inventory_cafe_fk", "inventory", List.of("cafe_id"), "cafes", List.of("id"), DeleteAction.NO_ACTION),
                key("inventory_menu_item_fk", "inventory", List.of("menu_item_id"), "menu_items", List.of("id"), DeleteAction.NO_ACTION),
                key("employees_cafe_fk", "employees", List.of("cafe_id"), "cafes", List.of("id"), DeleteAction.NO_ACTION)),
                Map.of(t("cafes"), List.of("id"), t("menu_items"), List.of("id"), t("users"), List.of("id"), t("user_activity"), List.of("id"),
                        t("orders"), List.of("id", "created_at"), t("order_items"), List.of("id"), t("payments"), List.of("id"),
                        t("inventory"), List.of("cafe_id", "menu_item_id"), t("employees"), List.of("id"),
                        TableName.parse("audit.audit_logs"), List.of("id")));
    }

    static ForeignKey key(String name, String table, List<String> columns, String referenced, List<String> referencedColumns, DeleteAction action) {
        return new ForeignKey(name, t(table), columns, t(referenced), referencedColumns, action, false, false);
    }

    static TableName t(String name) {
        return TableName.parse(name);
    }
}
