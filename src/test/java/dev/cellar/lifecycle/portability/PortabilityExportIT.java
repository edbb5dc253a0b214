package dev.cellar.lifecycle.portability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cellar.it.CellarCli;
import dev.cellar.it.TestDatabases;
import dev.cellar.it.TestFolders;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.Subject;
import dev.cellar.lifecycle.graph.SubjectRowQueries;
import dev.cellar.lifecycle.graph.SubjectRowQuery;
import dev.cellar.pg.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cellar gdpr export} on the restaurant_ordering sample (scale 1) with a second schema
 * "Loyalty" of mixed-case, quoted names: the JSON export validates against the schema written beside
 * it and a broken copy does not; it holds exactly the rows the foreign-key graph's belongingSql
 * selects, which are the rows hand-written SQL selects; the CSV form has the same counts; a subject
 * that does not exist writes nothing.
 */
class PortabilityExportIT {
    private static final String DB = TestDatabases.RESTAURANT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalCluster cluster;
    private static CellarCli cli;
    private static Path workDir;
    private static long subjectUser;

    @BeforeAll
    static void loadSampleWithALoyaltySchema() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-export-it-pg"));
        TestDatabases.loadRestaurant(cluster, DB, 1);
        workDir = TestFolders.create("cellar-export-it");
        cli = new CellarCli(Map.of(
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", DB));
        try (Connection c = cluster.connect(DB); Statement st = c.createStatement()) {
            List<Long> users = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT o.user_id FROM orders o JOIN payments p ON (p.order_id, p.order_created_at) = (o.id, o.created_at)
                     WHERE EXISTS (SELECT 1 FROM user_activity a WHERE a.user_id = o.user_id)
                     GROUP BY o.user_id HAVING count(*) >= 2 ORDER BY o.user_id LIMIT 2""")) {
                while (rs.next()) {
                    users.add(rs.getLong(1));
                }
            }
            subjectUser = users.get(0);
            long other = users.get(1);
            // quoted names everywhere, a self-reference, a composite key to orders, and the types the sample's users lack
            st.execute("""
                    CREATE SCHEMA "Loyalty";
                    CREATE TABLE "Loyalty"."Card" (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES public.users (id),
                        "sponsorCardId" bigint REFERENCES "Loyalty"."Card" (id),
                        "Tiers" text[], "Photo" bytea, score double precision, "Note, with comma" text);
                    CREATE TABLE "Loyalty"."Stamp" (id integer PRIMARY KEY, card_id bigint NOT NULL REFERENCES "Loyalty"."Card" (id),
                        order_id bigint, order_created_at timestamptz,
                        FOREIGN KEY (order_id, order_created_at) REFERENCES public.orders (id, created_at));
                    """);
            st.execute("INSERT INTO \"Loyalty\".\"Card\" VALUES (1, " + subjectUser + ", NULL, '{gold,\"vip, 2\"}', '\\x00ff10', 'NaN', 'say \"hi\", then\nleave'),"
                    + " (2, " + other + ", 1, NULL, NULL, 0.1, ''), (3, " + other + ", NULL, '{}', NULL, NULL, NULL)");
            st.execute("INSERT INTO \"Loyalty\".\"Stamp\" VALUES (10, 2, NULL, NULL), (13, 1, NULL, NULL)");
            st.execute("INSERT INTO \"Loyalty\".\"Stamp\" SELECT 11, 3, id, created_at FROM orders WHERE user_id = " + subjectUser + " ORDER BY id LIMIT 1");
            st.execute("INSERT INTO \"Loyalty\".\"Stamp\" SELECT 12, 3, id, created_at FROM orders WHERE user_id = " + other + " ORDER BY id LIMIT 1");
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jsonExportValidatesAgainstItsSchemaAndABrokenCopyDoesNot() throws Exception {
        Path out = workDir.resolve("json-" + subjectUser);
        CellarCli.Run run = cli.run("gdpr", "export", "--subject", "users:" + subjectUser, "--output", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode summary = JSON.readTree(run.stdout());
        assertThat(summary.get("rows").asLong()).isPositive();
        assertThat(summary.has("document")).isFalse();

        String document = Files.readString(out.resolve("export.json"));
        String schemaText = Files.readString(out.resolve("export.schema.json"));
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaText, InputFormat.JSON);
        assertThat(schema.validate(document, InputFormat.JSON)).isEmpty();
        Schema shipped = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(Path.of("src/main/resources/lifecycle/portability-export.schema.json")), InputFormat.JSON);
        assertThat(shipped.validate(document, InputFormat.JSON)).isEmpty();

        ObjectNode parsed = (ObjectNode) JSON.readTree(document);
        JsonNode payment = parsed.at("/tables/public.payments/rows/0");
        assertThat(payment.get("amount").textValue()).matches("[0-9]+\\.[0-9]{2}");
        assertThat(payment.get("paid_at").textValue()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?\\+00:00");
        JsonNode activity = parsed.at("/tables/public.user_activity/rows/0");
        assertThat(activity.get("ip_address").isTextual()).isTrue();
        assertThat(activity.get("session_id").textValue()).hasSize(36);
        JsonNode card = parsed.at("/tables/Loyalty.Card/rows/0");
        assertThat(card.get("Photo").textValue()).isEqualTo("AP8Q");
        assertThat(card.get("Tiers").get(1).textValue()).isEqualTo("vip, 2");
        assertThat(card.get("score").textValue()).isEqualTo("NaN");
        assertThat(card.get("sponsorCardId").isNull()).isTrue();

        // a payment amount written as a binary number, as a careless exporter would: the schema catches it
        ((ObjectNode) parsed.at("/tables/public.payments/rows/0")).put("amount", 12.5);
        assertThat(schema.validate(JSON.writeValueAsString(parsed), InputFormat.JSON)).isNotEmpty();

        if (Files.getFileStore(out).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("export.json")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwx------");
        }
    }

    @Test
    void exportHoldsExactlyTheBelongingRowsWhichAreTheHandWrittenOnes() throws Exception {
        CellarCli.Run run = cli.run("gdpr", "export", "--subject", "users:" + subjectUser);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode document = JSON.readTree(run.stdout());
        assertThat(document.get("subject").textValue()).isEqualTo("users:" + subjectUser);
        assertThat(document.get("format").textValue()).isEqualTo(ExportDocument.FORMAT);

        Map<String, List<String>> exported = new TreeMap<>();
        document.get("tables").properties().forEach(e -> exported.put(e.getKey(), ids(e.getValue().get("rows"))));

        Map<String, List<String>> belonging = new TreeMap<>();
        Map<String, List<String>> handWritten = new TreeMap<>();
        try (Connection c = cluster.connect(DB)) {
            for (SubjectRowQuery query : SubjectRowQueries.plan(ForeignKeyCatalog.read(c), Subject.parse("users:" + subjectUser))) {
                if (query.belongingSql() != null) {
                    belonging.put(query.table().qualified(), ids(c, "SELECT q.id::text FROM (" + query.belongingSql() + ") q"));
                }
            }
            for (Map.Entry<String, String> table : HAND_WRITTEN.entrySet()) {
                handWritten.put(table.getKey(), ids(c, HAND_WRITTEN_WITH + table.getValue()));
            }
        }
        assertThat(exported).isEqualTo(belonging).isEqualTo(handWritten);
        // so that agreeing empty answers cannot pass
        assertThat(exported.get("public.users")).containsExactly(Long.toString(subjectUser));
        assertThat(exported.get("public.orders")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(exported.get("public.payments")).isNotEmpty();
        assertThat(exported.get("public.order_items")).isNotEmpty();
        assertThat(exported.get("public.user_activity")).isNotEmpty();
        assertThat(exported.get("Loyalty.Card")).containsExactly("1", "2");
        assertThat(exported.get("Loyalty.Stamp")).containsExactly("10", "11", "13");
        assertThat(exported).doesNotContainKeys("public.cafes", "public.menu_items", "public.employees");
    }

    @Test
    void csvExportHasTheSameCountsAndAReadme() throws Exception {
        Path jsonOut = workDir.resolve("counts-json");
        Path csvOut = workDir.resolve("counts-csv");
        assertThat(cli.run("gdpr", "export", "--subject", "users:" + subjectUser, "--output", jsonOut.toString()).exitCode()).isZero();
        CellarCli.Run run = cli.run("gdpr", "export", "--subject", "users:" + subjectUser, "--format", "csv", "--output", csvOut.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("exported users:" + subjectUser).contains("Loyalty.Card");

        JsonNode document = JSON.readTree(jsonOut.resolve("export.json").toFile());
        Map<String, Integer> jsonCounts = new TreeMap<>();
        document.get("tables").properties().forEach(e -> jsonCounts.put(e.getKey(), e.getValue().get("rows").size()));
        Map<String, Integer> csvCounts = new TreeMap<>();
        String readme = Files.readString(csvOut.resolve("README.txt"));
        for (String table : jsonCounts.keySet()) {
            List<List<String>> records = parseCsv(Files.readString(csvOut.resolve(table + ".csv")));
            assertThat(records.get(0)).isEqualTo(names(document.get("tables").get(table).get("columns")));
            csvCounts.put(table, records.size() - 1);
            assertThat(readme).containsPattern(java.util.regex.Pattern.quote(table + ".csv") + " +" + (records.size() - 1) + " rows?");
        }
        assertThat(csvCounts).isEqualTo(jsonCounts);
        try (var files = Files.list(csvOut)) {
            assertThat(files.count()).isEqualTo(jsonCounts.size() + 1);
        }

        // the awkward card: a quoted comma, a doubled quote and a line break survive, NULL and '' stay apart
        List<List<String>> cards = parseCsv(Files.readString(csvOut.resolve("Loyalty.Card.csv")));
        assertThat(cards.get(1).get(6)).isEqualTo("say \"hi\", then\nleave");
        assertThat(cards.get(1).get(3)).isEqualTo("[\"gold\",\"vip, 2\"]");
        assertThat(cards.get(1).get(2)).isNull();
        assertThat(cards.get(2).get(6)).isEmpty();
    }

    @Test
    void mixedCaseSubjectIsExportedThroughQuotedIdentifiers() throws Exception {
        CellarCli.Run run = cli.run("gdpr", "export", "--subject", "Loyalty.Card:1");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode document = JSON.readTree(run.stdout());
        // a card sponsored by the subject's card is another card's holder's, as a user referred by a user is another subject
        assertThat(ids(document.at("/tables/Loyalty.Card/rows"))).containsExactly("1");
        assertThat(ids(document.at("/tables/Loyalty.Stamp/rows"))).containsExactly("13");
        assertThat(document.get("tables").has("public.users")).isFalse();
        assertThat(document.at("/tables/Loyalty.Card/columns/6/name").textValue()).isEqualTo("Note, with comma");
    }

    @Test
    void missingSubjectFailsClearlyAndWritesNothing() {
        Path out = workDir.resolve("nobody");
        CellarCli.Run run = cli.run("gdpr", "export", "--subject", "users:987654321", "--output", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(12);
        assertThat(run.stderr()).contains("subject users:987654321 not found").contains("nothing was written");
        assertThat(out).doesNotExist();

        CellarCli.Run notAKey = cli.run("gdpr", "export", "--subject", "users:abc");
        assertThat(notAKey.exitCode()).as(notAKey.toString()).isEqualTo(2);
        assertThat(notAKey.stdout()).isEmpty();

        CellarCli.Run csvToStdout = cli.run("gdpr", "export", "--subject", "users:" + subjectUser, "--format", "csv");
        assertThat(csvToStdout.exitCode()).isEqualTo(2);
        assertThat(csvToStdout.stderr()).contains("--output");
    }

    @Test
    void exportIsAuditedUnderTheSubjectsKeyedHashNeverItsId() throws Exception {
        CellarCli withRepository = cli.with("CELLAR_REPOSITORY_PATH", workDir.resolve("repo").toString()).with("CELLAR_PASSPHRASE", "export audit test");
        CellarCli.Run init = withRepository.run("init");
        assertThat(init.exitCode()).as(init.toString()).isZero();

        CellarCli.Run first = withRepository.run("gdpr", "export", "--subject", "users:" + subjectUser, "--output",
                workDir.resolve("audited-" + subjectUser).toString(), "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        // the same person written with a leading zero: hashed as the database stores the key, so alike
        CellarCli.Run again = withRepository.run("gdpr", "export", "--subject", "users:0" + subjectUser);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        CellarCli.Run missing = withRepository.run("gdpr", "export", "--subject", "users:987654321");
        assertThat(missing.exitCode()).isEqualTo(12);

        CellarCli.Run audit = withRepository.run("audit", "--json");
        assertThat(audit.exitCode()).as(audit.toString()).isZero();
        List<JsonNode> exports = new ArrayList<>();
        JSON.readTree(audit.stdout()).get("records").forEach(r -> {
            if (r.get("operation").asText().equals(PortabilityExportService.AUDIT_OPERATION)) {
                exports.add(r);
            }
        });
        assertThat(exports).extracting(r -> r.get("result").asText()).containsExactly("ok", "ok", "failed");
        String target = JSON.readTree(first.stdout()).get("auditTarget").asText();
        assertThat(target).matches("subject [0-9a-f]{64}");
        assertThat(exports.get(0).get("target").asText()).isEqualTo(target);
        assertThat(exports.get(1).get("target").asText()).isEqualTo(target);
        assertThat(exports.get(2).get("target").asText()).matches("subject [0-9a-f]{64}").isNotEqualTo(target);
        assertThat(exports.get(0).get("detail").asText()).contains("json to a folder").contains(" rows");
        assertThat(exports.get(2).get("detail").asText()).isEqualTo("NOT_FOUND");
        assertThat(audit.stdout()).doesNotContain("users:" + subjectUser).doesNotContain("987654321").doesNotContain("audited-");
        assertThat(JSON.readTree(again.stdout()).get("subject").asText()).isEqualTo("users:0" + subjectUser);
    }

    /*
     * Written from the sample's schema by hand, without the graph. ? is the subject; each query
     * returns the ids of one table's rows that concern the subject.
     */
    private static final String HAND_WRITTEN_WITH = """
            WITH RECURSIVE
              card_down AS (SELECT id FROM "Loyalty"."Card" WHERE user_id = ?
                            UNION SELECT k.id FROM "Loyalty"."Card" k JOIN card_down d ON k."sponsorCardId" = d.id),
              order_down AS (SELECT id, created_at FROM orders WHERE user_id = ?)
            """;
    private static final Map<String, String> HAND_WRITTEN = Map.of(
            "public.users", "SELECT id::text FROM users WHERE id = ?",
            "public.user_activity", "SELECT id::text FROM user_activity WHERE user_id = ?",
            "public.orders", "SELECT id::text FROM order_down",
            "public.order_items", "SELECT id::text FROM order_items WHERE (order_id, order_created_at) IN (SELECT id, created_at FROM order_down)",
            "public.payments", "SELECT id::text FROM payments WHERE (order_id, order_created_at) IN (SELECT id, created_at FROM order_down)",
            "Loyalty.Card", "SELECT id::text FROM card_down",
            "Loyalty.Stamp", "SELECT id::text FROM \"Loyalty\".\"Stamp\" WHERE card_id IN (SELECT id FROM card_down)"
                    + " OR (order_id, order_created_at) IN (SELECT id, created_at FROM order_down)");

    private static List<String> ids(JsonNode rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.get("id").asText()));
        ids.sort(null);
        return ids;
    }

    private static List<String> ids(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setObject(i, Long.toString(subjectUser), Types.OTHER);
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            ids.sort(null);
            return ids;
        }
    }

    private static List<String> names(JsonNode columns) {
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.get("name").textValue()));
        return names;
    }

    /** An RFC 4180 reader written for this test: an empty unquoted field is null, "" the empty text. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            String field;
            if (text.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    char ch = text.charAt(i++);
                    if (ch == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            value.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        value.append(ch);
                    }
                }
                field = value.toString();
            } else {
                int end = i;
                while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != '\r') {
                    end++;
                }
                field = end == i ? null : text.substring(i, end);
                i = end;
            }
            record.add(field);
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
            } else {
                assertThat(text.startsWith("\r\n", i)).as("record ends with CRLF at " + i).isTrue();
                i += 2;
                records.add(record);
                record = new ArrayList<>();
            }
        }
        return records;
    }

}
