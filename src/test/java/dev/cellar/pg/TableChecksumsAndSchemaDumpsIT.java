package dev.cellar.pg;

import dev.cellar.it.TestFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The test utilities {@link TableChecksums} and {@link SchemaDumps}, on a real cluster. */
class TableChecksumsAndSchemaDumpsIT {

    private static final String SCHEMA = """
            CREATE SCHEMA sales;
            CREATE TABLE public.items (id int PRIMARY KEY, name text);
            CREATE TABLE sales.orders (id int, placed date NOT NULL) PARTITION BY RANGE (placed);
            CREATE TABLE sales.orders_2025 PARTITION OF sales.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE sales.orders_2026 PARTITION OF sales.orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE TABLE sales.empty (x int);
            """;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = LocalCluster.start(TestFolders.create("cellar-fingerprints-it"));
        for (String db : new String[] {"a", "b"}) {
            cluster.createDatabase(db);
            cluster.execute(db, SCHEMA);
            cluster.execute(db, """
                    INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, NULL);
                    INSERT INTO sales.orders VALUES (1, '2025-03-01'), (2, '2026-04-01'), (3, '2026-05-01');
                    """);
        }
    }

    @AfterAll
    static void closeCluster() {
        cluster.close();
    }

    @Test
    void checksumsEveryUserTableAndPartitionLeafWithRowCounts() throws Exception {
        Map<String, String> sums = checksums("a");

        assertThat(sums).containsOnlyKeys("public.items", "sales.orders_2025", "sales.orders_2026", "sales.empty");
        assertThat(sums.get("public.items")).startsWith("3:");
        assertThat(sums.get("sales.orders_2026")).startsWith("2:");
        assertThat(sums.get("sales.empty")).startsWith("0:");
    }

    @Test
    void equalDataGivesEqualChecksumsWhateverTheInsertOrder() throws Exception {
        cluster.createDatabase("c");
        cluster.execute("c", SCHEMA);
        cluster.execute("c", """
                INSERT INTO sales.orders VALUES (3, '2026-05-01'), (2, '2026-04-01'), (1, '2025-03-01');
                INSERT INTO items VALUES (3, NULL), (2, 'two'), (1, 'one');
                """);

        assertThat(checksums("c")).isEqualTo(checksums("a"));
        cluster.dropDatabase("c");
    }

    @Test
    void changedRowChangesOnlyItsTablesChecksum() throws Exception {
        Map<String, String> before = checksums("b");
        cluster.execute("b", "UPDATE items SET name = 'TWO' WHERE id = 2");
        Map<String, String> after = checksums("b");
        cluster.execute("b", "UPDATE items SET name = 'two' WHERE id = 2");

        assertThat(after.get("public.items")).isNotEqualTo(before.get("public.items"));
        assertThat(after).hasSize(before.size());
        before.remove("public.items");
        after.remove("public.items");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void normalizedSchemasOfEqualDatabasesAreEqual() {
        String a = SchemaDumps.normalizedSchema(cluster, "a");

        assertThat(a).isEqualTo(SchemaDumps.normalizedSchema(cluster, "b"));
        assertThat(a).contains("CREATE TABLE sales.orders_2025").doesNotContain("--").doesNotContain("\nSET ");
    }

    @Test
    void normalizedSchemaShowsAnAddedColumn() {
        cluster.createDatabase("d");
        cluster.execute("d", SCHEMA);
        cluster.execute("d", "ALTER TABLE items ADD COLUMN price numeric");

        assertThat(SchemaDumps.normalizedSchema(cluster, "d")).isNotEqualTo(SchemaDumps.normalizedSchema(cluster, "a"));
        cluster.dropDatabase("d");
    }

    private static Map<String, String> checksums(String db) throws Exception {
        try (Connection c = cluster.connect(db)) {
            return TableChecksums.of(c);
        }
    }
}
