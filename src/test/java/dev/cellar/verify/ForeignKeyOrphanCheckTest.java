package dev.cellar.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.verify.ForeignKeyOrphanCheck.ForeignKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The orphan-counting SQL built from a foreign key's catalog description. */
class ForeignKeyOrphanCheckTest {

    @Test
    void compositeKeyPairsColumnsByPositionAndExemptsRowsWithANull() {
        ForeignKey key = new ForeignKey("lines_order_fk", "public", "lines", false, List.of("order_no", "shop"),
                "public", "orders", false, List.of("no", "shop_id"));

        assertThat(ForeignKeyOrphanCheck.orphanCountSql(key)).isEqualTo(
                "SELECT count(*) FROM ONLY \"public\".\"lines\" AS child"
                        + " WHERE child.\"order_no\" IS NOT NULL AND child.\"shop\" IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM ONLY \"public\".\"orders\" AS parent"
                        + " WHERE parent.\"no\" = child.\"order_no\" AND parent.\"shop_id\" = child.\"shop\")");
    }

    @Test
    void partitionedTablesAreReadWithTheirWholeTree() {
        ForeignKey key = new ForeignKey("fk", "sales", "orders", true, List.of("customer"), "sales", "customers", true, List.of("id"));

        assertThat(ForeignKeyOrphanCheck.orphanCountSql(key))
                .contains("FROM \"sales\".\"orders\" AS child")
                .contains("FROM \"sales\".\"customers\" AS parent")
                .doesNotContain("ONLY");
    }

    @Test
    void identifiersWithQuotesAndCapitalsAreQuoted() {
        ForeignKey key = new ForeignKey("fk", "My Schema", "Odd\"Table", false, List.of("Col\"A"),
                "public", "t", false, List.of("id"));

        assertThat(ForeignKeyOrphanCheck.orphanCountSql(key))
                .contains("ONLY \"My Schema\".\"Odd\"\"Table\" AS child")
                .contains("child.\"Col\"\"A\" IS NOT NULL");
    }
}
