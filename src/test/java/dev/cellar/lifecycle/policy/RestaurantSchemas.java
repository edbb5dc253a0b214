package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** restaurant_ordering's tables as plain data, matching sample/restaurant_ordering.sql, for the check's unit tests. */
final class RestaurantSchemas {
    private RestaurantSchemas() {
    }

    static SchemaSnapshot sample() {
        List<SchemaTable> tables = new ArrayList<>();
        tables.add(table("cafes", Set.of(), "id integer!", "name text!", "street text!", "city text!", "postal_code text!",
                "phone text!", "opened_on date!", "seats integer!", "created_at timestamp with time zone!"));
        tables.add(table("menu_items", Set.of("cafes"), "id integer!", "cafe_id integer!", "name text!", "description text!",
                "category text!", "price numeric(12,2)!", "options jsonb!", "available boolean!", "created_at timestamp with time zone!"));
        tables.add(table("users", Set.of(), "id bigint!", "email text!", "full_name text!", "phone text", "street text", "city text",
                "postal_code text", "marketing_opt_in boolean!", "created_at timestamp with time zone!",
                "last_active_at timestamp with time zone!"));
        tables.add(table("user_activity", Set.of("users"), "id bigint!", "user_id bigint!", "activity_type activity_type!",
                "occurred_at timestamp with time zone!", "session_id uuid!", "ip_address inet!", "user_agent text!", "path text",
                "search_query text"));
        tables.add(table("orders", Set.of("cafes", "users"), "id bigint!", "created_at timestamp with time zone!",
                "updated_at timestamp with time zone!", "cafe_id integer!", "user_id bigint!", "status order_status!",
                "fulfillment text!", "subtotal numeric(12,2)!", "tax numeric(12,2)!", "delivery_fee numeric(12,2)!",
                "total numeric(12,2)!", "currency character(3)!", "delivery_details jsonb", "notes text"));
        tables.add(table("order_items", Set.of("orders", "menu_items"), "id bigint!", "order_id bigint!",
                "order_created_at timestamp with time zone!", "menu_item_id integer!", "quantity integer!",
                "unit_price numeric(12,2)!", "line_total numeric(12,2)", "special_requests text"));
        tables.add(table("payments", Set.of("orders"), "id bigint!", "order_id bigint!", "order_created_at timestamp with time zone!",
                "method payment_method!", "status payment_status!", "amount numeric(12,2)!", "tip numeric(12,2)!",
                "currency character(3)!", "card_last4 character(4)", "processor_ref text!", "paid_at timestamp with time zone!"));
        tables.add(table("inventory", Set.of("cafes", "menu_items"), "cafe_id integer!", "menu_item_id integer!", "quantity integer!",
                "reorder_level integer!", "updated_at timestamp with time zone!"));
        tables.add(table("employees", Set.of("cafes"), "id integer!", "cafe_id integer!", "full_name text!", "email text!",
                "phone text!", "role text!", "hourly_rate numeric(12,2)!", "hired_on date!", "employment_end date", "photo bytea",
                "notes text"));
        tables.add(table("audit.audit_logs", Set.of(), "id bigint!", "occurred_at timestamp with time zone!", "actor_type text!",
                "actor_id bigint", "action text!", "entity_type text!", "entity_id bigint", "client_ip inet", "details jsonb!"));
        return new SchemaSnapshot(tables);
    }

    /** Columns as "name type", with a trailing '!' for NOT NULL. */
    static SchemaTable table(String name, Set<String> references, String... columns) {
        List<SchemaColumn> cols = new ArrayList<>();
        for (String column : columns) {
            boolean notNull = column.endsWith("!");
            String text = notNull ? column.substring(0, column.length() - 1) : column;
            int space = text.indexOf(' ');
            cols.add(new SchemaColumn(text.substring(0, space), text.substring(space + 1), !notNull));
        }
        return new SchemaTable(TableName.parse(name), cols,
                references.stream().map(TableName::parse).collect(java.util.stream.Collectors.toSet()));
    }

    /** {@code base} with {@code replacement} in place of the table of the same name, or added when it has none. */
    static SchemaSnapshot with(SchemaSnapshot base, SchemaTable replacement) {
        List<SchemaTable> tables = new ArrayList<>(base.tables().stream().filter(t -> !t.name().equals(replacement.name())).toList());
        tables.add(replacement);
        return new SchemaSnapshot(tables);
    }
}
