package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.it.CellarCli;
import dev.cellar.it.TestDatabases;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped restaurant_ordering policy against the real sample database (keys, partitions,
 * the audit schema), and a broken policy against the same database with one table added; then
 * the same through {@code cellar policy check}.
 */
class PolicySchemaCheckIT {
    private static LocalCluster cluster;
    private static CellarCli cli;
    private static Path workDir;

    @BeforeAll
    static void startClusterWithSample() throws IOException {
        cluster = LocalCluster.start(TestFolders.create("cellar-policy-it-pg"));
        TestDatabases.loadRestaurant(cluster, TestDatabases.RESTAURANT, 1);
        workDir = TestFolders.create("cellar-policy-it");
        cli = new CellarCli(Map.of(
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", TestDatabases.RESTAURANT));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shippedPolicyHasNoFindingOnTheSampleDatabase() throws Exception {
        try (Connection c = cluster.connect(TestDatabases.RESTAURANT)) {
            SchemaSnapshot schema = SchemaSnapshotReader.read(c);

            // the monthly partitions of orders stand behind orders, not beside it
            assertThat(schema.tables()).extracting(t -> t.name().toString()).containsExactlyInAnyOrder("cafes", "menu_items",
                    "users", "user_activity", "orders", "order_items", "payments", "inventory", "employees", "audit.audit_logs");
            assertThat(schema.table(TableName.parse("order_items")).orElseThrow().references())
                    .containsExactlyInAnyOrder(TableName.parse("orders"), TableName.parse("menu_items"));
            assertThat(PolicySchemaCheck.check(DataPolicyParser.restaurantOrdering(), schema)).isEmpty();
        }
    }

    @Test
    void brokenPolicyAndAnUncoveredTableGiveTheExpectedFindings() throws Exception {
        String broken = shippedPolicyText()
                .replace("dated-by: paid_at", "dated-by: processor_ref")
                .replace("dated-by: {table: orders, column: created_at}", "dated-by: {table: users, column: created_at}")
                .replace("    full_name: pseudonymise", "    full_name: 'null'")
                .replace("  audit.audit_logs:\n    client_ip", "  audit.audit_log:\n    client_ip");
        DataPolicy policy = DataPolicyParser.parse(broken, "broken-policy.yaml");

        try (Connection c = cluster.connect(TestDatabases.RESTAURANT)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE newsletter_signups (id bigint PRIMARY KEY, contact_email text NOT NULL, signed_up_at date NOT NULL)");
            }
            SchemaSnapshot schema = SchemaSnapshotReader.read(c);
            c.rollback();

            assertThat(PolicySchemaCheck.check(policy, schema))
                    .extracting(PolicyFinding::kind, PolicyFinding::keyPath)
                    .containsExactlyInAnyOrder(
                            tuple(PolicyFinding.Kind.DATING_COLUMN_TYPE, "categories.financial.tables.payments.dated-by"),
                            tuple(PolicyFinding.Kind.NO_FOREIGN_KEY, "categories.orders.tables.order_items.dated-by.table"),
                            tuple(PolicyFinding.Kind.NULL_IN_NOT_NULL_COLUMN, "personal-data.users.full_name"),
                            tuple(PolicyFinding.Kind.UNKNOWN_TABLE, "personal-data.audit.audit_log"),
                            tuple(PolicyFinding.Kind.UNCOVERED_PERSONAL_DATA, "personal-data.audit.audit_log"),
                            tuple(PolicyFinding.Kind.UNCOVERED_PERSONAL_DATA, "newsletter_signups"),
                            tuple(PolicyFinding.Kind.UNDECLARED_PERSONAL_COLUMN, "personal-data.audit.audit_logs.client_ip"));
        }
    }

    @Test
    void policyCheckCommandExitsZeroForTheShippedPolicyAndThreeWithFindings() throws Exception {
        CellarCli.Run clean = cli.run("policy", "check");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.stdout()).contains("(10 tables): no finding");

        Path policy = workDir.resolve("typo-policy.yaml");
        Files.writeString(policy, shippedPolicyText().replace("      inventory:\n", "      inventories:\n"));
        CellarCli.Run findings = cli.run("policy", "check", "--policy", policy.toString(), "--json");
        assertThat(findings.exitCode()).as(findings.toString()).isEqualTo(3);
        JsonNode result = new ObjectMapper().readTree(findings.stdout());
        assertThat(result.get("findings")).hasSize(1);
        assertThat(result.get("findings").get(0).get("kind").asText()).isEqualTo("UNKNOWN_TABLE");
        assertThat(result.get("findings").get(0).get("keyPath").asText()).isEqualTo("categories.inventory.tables.inventories");
    }

    private static String shippedPolicyText() throws IOException {
        try (InputStream in = PolicySchemaCheckIT.class.getResourceAsStream("/lifecycle/restaurant_ordering-policy.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
