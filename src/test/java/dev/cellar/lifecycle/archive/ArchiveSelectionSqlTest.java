package dev.cellar.lifecycle.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.DeleteAction;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveSelectionSqlTest {
    private static final TableName USERS = new TableName("public", "users");
    private static final TableName ORDERS = new TableName("public", "orders");
    private static final TableName PAYMENTS = new TableName("public", "payments");
    private static final TableName STAFF = new TableName("hr", "Staff");
    private static final TableName UNRELATED = new TableName("public", "menu_items");

    private static final ForeignKeyGraph GRAPH = new ForeignKeyGraph(List.of(
            key(ORDERS, List.of("user_id"), USERS, List.of("id")),
            key(PAYMENTS, List.of("order_id", "order_created_at"), ORDERS, List.of("id", "created_at")),
            key(STAFF, List.of("manager"), STAFF, List.of("id"))), Map.of());

    @Test
    void aSelectedTableBringsEveryTableItReferencesTransitivelyAndNothingElse() {
        Map<TableName, String> conditions = ArchiveSelectionSql.conditions(GRAPH, List.of(new RowSelection(PAYMENTS, "paid_at < now()")));
        assertThat(conditions).containsOnlyKeys(PAYMENTS, ORDERS, USERS);
        assertThat(conditions.get(PAYMENTS)).isEqualTo("(paid_at < now())");
        assertThat(conditions.get(ORDERS)).isEqualTo("(\"public\".\"orders\".\"id\", \"public\".\"orders\".\"created_at\") IN (SELECT "
                + "\"public\".\"payments\".\"order_id\", \"public\".\"payments\".\"order_created_at\" FROM \"public\".\"payments\" WHERE (paid_at < now()))");
        assertThat(conditions.get(USERS)).startsWith("\"public\".\"users\".\"id\" IN (SELECT \"public\".\"orders\".\"user_id\" FROM \"public\".\"orders\" WHERE ")
                .contains("FROM \"public\".\"payments\" WHERE (paid_at < now())");
    }

    @Test
    void aTableSelectedAndReferencedTakesBothItsOwnRowsAndTheReferencedOnes() {
        Map<TableName, String> conditions = ArchiveSelectionSql.conditions(GRAPH, List.of(
                new RowSelection(PAYMENTS, "true"), new RowSelection(ORDERS, "created_at > now()"), new RowSelection(ORDERS, "id = 1")));
        assertThat(conditions.get(ORDERS)).startsWith("((created_at > now()) OR (id = 1) OR (\"public\".\"orders\".\"id\"");
        assertThat(ArchiveSelectionSql.selectedOnly(List.of(new RowSelection(ORDERS, "a"), new RowSelection(ORDERS, "b"))))
                .containsEntry(ORDERS, "(a) OR (b)");
    }

    @Test
    void aSelfReferenceIsClosedUpwardsWithARecursiveQuery() {
        String staff = ArchiveSelectionSql.conditions(GRAPH, List.of(new RowSelection(STAFF, "left_on IS NOT NULL"))).get(STAFF);
        assertThat(staff).startsWith("((left_on IS NOT NULL) OR \"hr\".\"Staff\".\"id\" IN (WITH RECURSIVE archive_up0(c0) AS (SELECT "
                + "\"hr\".\"Staff\".\"manager\" FROM \"hr\".\"Staff\" WHERE (left_on IS NOT NULL) UNION SELECT \"hr\".\"Staff\".\"manager\" FROM "
                + "\"hr\".\"Staff\" JOIN archive_up0 ON \"hr\".\"Staff\".\"id\" = archive_up0.c0) SELECT c0 FROM archive_up0))");
    }

    @Test
    void aTableNoSelectedRowLeadsToIsLeftOut() {
        assertThat(ArchiveSelectionSql.conditions(GRAPH, List.of(new RowSelection(USERS, "true")))).containsOnlyKeys(USERS);
        assertThat(ArchiveSelectionSql.conditions(GRAPH, List.of(new RowSelection(UNRELATED, "true")))).containsOnlyKeys(UNRELATED);
    }

    private static ForeignKey key(TableName table, List<String> columns, TableName parent, List<String> parentColumns) {
        return new ForeignKey(table.name() + "_fk", table, columns, parent, parentColumns, DeleteAction.NO_ACTION, false, false);
    }
}
