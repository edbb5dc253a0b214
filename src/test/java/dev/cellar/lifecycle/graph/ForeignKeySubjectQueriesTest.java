package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import static dev.cellar.lifecycle.graph.Graphs.graph;
import static dev.cellar.lifecycle.graph.Graphs.key;
import static dev.cellar.lifecycle.graph.Graphs.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which tables a subject's queries cover and how they are written; whether they return the right
 * rows is proved on PostgreSQL by ForeignKeyGraphIT.
 */
class ForeignKeySubjectQueriesTest {

    private static final ForeignKeyGraph SHOP = graph(Map.of("users", "id", "orders", "id,created_at", "cafes", "id"),
            key("orders", "user_id", "users", "id"),
            key("orders", "cafe_id", "cafes", "id"),
            key("order_items", "order_id,order_created_at", "orders", "id,created_at"),
            key("order_items", "menu_item_id", "menu_items", "id"),
            key("menu_items", "cafe_id", "cafes", "id"),
            key("inventory", "cafe_id", "cafes", "id"),
            key("users", "referred_by", "users", "id"));

    @Test
    void belongingCoversTheSubjectAndEveryTableBelowItWhileParentsAreOnlyInTheSelfContainedSet() {
        Map<TableName, SubjectRowQuery> byTable = byTable(SubjectRowQueries.plan(SHOP, Subject.parse("users:42")));
        assertThat(byTable.keySet()).containsExactlyInAnyOrder(t("users"), t("orders"), t("order_items"), t("cafes"), t("menu_items"));
        assertThat(byTable.get(t("orders")).belongingSql()).isNotNull();
        assertThat(byTable.get(t("order_items")).belongingSql()).isNotNull();
        assertThat(byTable.get(t("cafes")).belongingSql()).isNull();
        assertThat(byTable.get(t("menu_items")).belongingSql()).isNull();
    }

    @Test
    void everyQueryHasOneParameterAndQuotesEveryIdentifier() {
        for (SubjectRowQuery query : SubjectRowQueries.plan(SHOP, Subject.parse("users:42"))) {
            assertThat(query.selfContainedSql().chars().filter(c -> c == '?').count()).isEqualTo(1);
            assertThat(query.selfContainedSql()).contains("FROM \"public\".\"" + query.table().name() + "\" t0");
        }
        String items = byTable(SubjectRowQueries.plan(SHOP, Subject.parse("users:42"))).get(t("order_items")).belongingSql();
        assertThat(items).contains("(t0.\"order_id\", t0.\"order_created_at\") IN (SELECT t1.\"id\", t1.\"created_at\" FROM \"public\".\"orders\" t1");
    }

    @Test
    void theSubjectsOwnSelfReferenceIsFollowedUpButNotDown() {
        SubjectRowQuery users = byTable(SubjectRowQueries.plan(SHOP, Subject.parse("users:42"))).get(t("users"));
        assertThat(users.belongingSql()).doesNotContain("RECURSIVE");
        assertThat(users.selfContainedSql()).contains("WITH RECURSIVE");
    }

    @Test
    void aSelfReferenceBelowTheSubjectIsClosedRecursively() {
        ForeignKeyGraph tree = graph(Map.of("users", "id"),
                key("comments", "user_id", "users", "id"), key("comments", "reply_to", "comments", "id"));
        SubjectRowQuery comments = byTable(SubjectRowQueries.plan(tree, Subject.parse("users:1"))).get(t("comments"));
        assertThat(comments.belongingSql()).contains("WITH RECURSIVE").contains(".\"reply_to\" = r");
    }

    @Test
    void aRingIsWalkedOnceRoundAndTheQueriesStayFinite() {
        ForeignKeyGraph ring = graph(Map.of("users", "id"),
                key("a", "user_id", "users", "id"), key("a", "b_id", "b", "id"), key("b", "a_id", "a", "id"));
        Map<TableName, SubjectRowQuery> byTable = byTable(SubjectRowQueries.plan(ring, Subject.parse("users:1")));
        assertThat(byTable.keySet()).containsExactlyInAnyOrder(t("users"), t("a"), t("b"));
        assertThat(byTable.get(t("b")).belongingSql()).contains("\"public\".\"a\"");
    }

    @Test
    void aSubjectNeedsAOneColumnPrimaryKey() {
        assertThatThrownBy(() -> SubjectRowQueries.plan(SHOP, Subject.parse("orders:1")))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
        assertThatThrownBy(() -> SubjectRowQueries.plan(SHOP, Subject.parse("nobody:1")))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private static Map<TableName, SubjectRowQuery> byTable(List<SubjectRowQuery> queries) {
        Map<TableName, SubjectRowQuery> byTable = new java.util.TreeMap<>();
        queries.forEach(q -> byTable.put(q.table(), q));
        return byTable;
    }
}
