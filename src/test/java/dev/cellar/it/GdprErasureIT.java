package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.lifecycle.erasure.ErasureLedger;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.repo.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * GDPR erasure end to end on the restaurant_ordering sample (scale 1) with WAL archived: a user
 * is erased at once; the database, the ledger (decrypted) and three restores of backups taken
 * before the erasure (whole database, the users table over the erased database, point in time
 * before the erasure) must all show the user's personal data gone and the payments kept.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GdprErasureIT {
    private static final String DB = "restaurant_ordering";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ArchivedCluster archived;
    private long subject;
    private String logicalBackup;
    private String physicalBackup;
    private String paymentsBefore;
    private long ordersBefore;
    private String archivedMonth;
    private String archiveId;
    private String originalEmail;

    @BeforeAll
    void eraseAUserAfterTakingBackups() throws Exception {
        archived = ArchivedCluster.start(Map.of());
        TestDatabases.loadRestaurant(archived.cluster(), DB, 1);
        try (Connection c = archived.cluster().connect(DB); Statement st = c.createStatement()) {
            // a 3-digit id (scale 1 has 400 users), so that its exact token can be looked for in the ledger
            try (ResultSet rs = st.executeQuery("""
                    SELECT u.id FROM users u WHERE u.id BETWEEN 100 AND 999
                       AND EXISTS (SELECT 1 FROM user_activity a WHERE a.user_id = u.id)
                       AND EXISTS (SELECT 1 FROM orders o JOIN payments p ON p.order_id = o.id AND p.order_created_at = o.created_at
                                    WHERE o.user_id = u.id AND p.card_last4 IS NOT NULL)
                     ORDER BY u.id LIMIT 1""")) {
                assertThat(rs.next()).isTrue();
                subject = rs.getLong(1);
            }
        }
        paymentsBefore = payments(archived.cluster().port(), DB);
        originalEmail = text(archived.cluster().port(), DB, "SELECT email FROM users WHERE id = " + subject);
        ordersBefore = count(archived.cluster().port(), DB, "SELECT count(*) FROM orders WHERE user_id = " + subject);
        logicalBackup = JSON.readTree(archived.cellarOk("backup", "logical", "-d", DB, "--json").stdout()).path("manifest").path("id").asText();
        assertThat(logicalBackup).isNotEmpty();
        physicalBackup = JSON.readTree(archived.cellarOk("backup", "physical", "--json").stdout()).path("id").asText();
        // the month of one of the subject's paid orders, archived before the erasure
        try (Connection c = archived.cluster().connect(DB); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM') FROM orders o JOIN payments p "
                     + "ON p.order_id = o.id AND p.order_created_at = o.created_at WHERE o.user_id = " + subject
                     + " AND p.card_last4 IS NOT NULL AND o.created_at < '2026-11-01' ORDER BY o.created_at DESC LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            archivedMonth = rs.getString(1);
        }
        archiveId = JSON.readTree(archived.cellarOk("archive", "create", "-d", DB, "--month", archivedMonth, "--json").stdout())
                .path("archiveId").asText();
        assertThat(archiveId).isNotEmpty();
        archived.cluster().execute(DB, "SELECT pg_create_restore_point('before-erasure')");
        CellarCli.Run erase = archived.cellarOk("gdpr", "erase", "-d", DB, "--subject", "users:" + subject, "--now", "--reason", "ticket 77");
        assertThat(erase.stdout()).contains("erased: request 1");
        // the erasure's commit and the restore point must be in archived WAL for the PITR restore
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    @Order(1)
    void theSubjectsPersonalDataIsGoneAndItsPaymentsStay() throws Exception {
        assertErased(archived.cluster().port(), DB);
        assertThat(count(archived.cluster().port(), DB, "SELECT count(*) FROM orders WHERE user_id = " + subject)).isEqualTo(ordersBefore);
    }

    @Test
    @Order(2)
    void theLedgerHoldsNoPlaintextIdAndItsChainVerifies() throws Exception {
        Repository repository = archived.openRepository();
        AeadCipher cipher = new AeadCipher(repository.derivedKey(ErasureLedger.KEY_PURPOSE));
        List<String> keys = repository.storage().list("erasures/");
        assertThat(keys).hasSize(2);
        Pattern token = Pattern.compile("(?<![0-9A-Za-z])\"?" + subject + "\"?(?![0-9A-Za-z])");
        for (String key : keys) {
            String plaintext = new String(cipher.open(repository.storage().get(key), key), StandardCharsets.UTF_8);
            assertThat(plaintext).contains("\"subjectHash\"").doesNotContain("users:" + subject);
            // row counts are numbers that may equal the id by chance: they are table -> count, checked apart
            String withoutCounts = plaintext.replaceAll("\"rowsChanged\":\\{[^}]*\\}", "");
            assertThat(withoutCounts).isNotEqualTo(plaintext);
            assertThat(token.matcher(withoutCounts).find()).as(plaintext).isFalse();
        }
        CellarCli.Run verify = archived.cellarOk("gdpr", "ledger", "verify");
        assertThat(verify.stdout()).contains("2 entries, 1 requests, 1 applied: chain intact");
        JsonNode list = JSON.readTree(archived.cellarOk("gdpr", "list", "--json").stdout());
        assertThat(list.path("requests").get(0).path("state").asText()).isEqualTo("applied");
        assertThat(list.toString()).doesNotContain("users:" + subject);
    }

    @Test
    @Order(3)
    void theReportListsTheBackupsTakenBeforeTheErasure() throws Exception {
        JsonNode report = JSON.readTree(archived.cellarOk("gdpr", "report", "-d", DB, "--subject", "users:" + subject, "--json").stdout());
        assertThat(report.path("request").path("state").asText()).isEqualTo("applied");
        assertThat(report.path("backups").findValuesAsText("id")).contains(logicalBackup, physicalBackup);
    }

    @Test
    @Order(4)
    void aWholeDatabaseRestoreReappliesTheErasure() throws Exception {
        CellarCli.Run restore = archived.cellarOk("restore", "logical", logicalBackup, "-d", DB, "--target-db", "restored_whole");
        assertThat(restore.stdout()).contains("re-applied 1 erasure");
        assertErased(archived.cluster().port(), "restored_whole");
    }

    @Test
    @Order(5)
    void aTableRestoreOverTheErasedDatabaseReappliesTheErasure() throws Exception {
        CellarCli.Run restore = archived.cellar("restore", "logical", logicalBackup, "-d", DB, "--target-db", DB, "--table", "users",
                "--force", "--json");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        JsonNode result = JSON.readTree(restore.stdout());
        assertThat(result.path("erasures").path("subjectsFound").asInt()).isEqualTo(1);
        assertErased(archived.cluster().port(), DB);
    }

    @Test
    @Order(6)
    void aPointInTimeRestoreToBeforeTheErasureReappliesIt() throws Exception {
        Path dir = archived.restoreDir("pitr-before-erasure");
        int port = ArchivedCluster.freePort();
        CellarCli.Run restore = archived.cellarOk("restore", "pitr", "-D", dir.toString(), "--backup", physicalBackup, "--target-name",
                "before-erasure", "--start", "--port", Integer.toString(port), "--archive-mode", "off");
        assertThat(restore.stdout()).contains("re-applied 1 erasure");
        assertErased(port, DB);
        archived.stopRestored(dir);
    }

    @Test
    @Order(7)
    void aPointInTimeRestoreNotStartedSaysTheErasuresMustBeReapplied() throws Exception {
        Path dir = archived.restoreDir("pitr-not-started");
        CellarCli.Run restore = archived.cellarOk("restore", "pitr", "-D", dir.toString(), "--backup", physicalBackup, "--target-name",
                "before-erasure", "--port", Integer.toString(ArchivedCluster.freePort()), "--archive-mode", "off", "--json");
        JsonNode result = JSON.readTree(restore.stdout());
        assertThat(result.path("erasuresPending").asInt()).isEqualTo(1);
        assertThat(result.path("warnings").toString()).contains("1 erasure of the erasure ledger must be re-applied", "cellar gdpr reapply");
    }

    @Test
    @Order(8)
    void anArchiveWrittenBeforeTheErasureIsErasedAgainWhenRestoredAndWhenLookedUp() throws Exception {
        JsonNode report = JSON.readTree(archived.cellarOk("gdpr", "report", "-d", DB, "--subject", "users:" + subject, "--json").stdout());
        assertThat(report.path("archives").findValuesAsText("id")).containsExactly(archiveId);

        CellarCli.Run restore = archived.cellarOk("archive", "restore", "-d", DB, "--month", archivedMonth, "--target-db", "restored_archive",
                "--create");
        assertThat(restore.stdout()).contains("re-applied 1 erasure");
        assertPersonalDataErased(archived.cluster().port(), "restored_archive");
        // the subject's payments of that month are in the archive, with the fields the law keeps
        String archivedPayments = "SELECT string_agg(p.id || '/' || coalesce(p.card_last4, '-') || '/' || p.processor_ref || '/' || p.amount, ',' "
                + "ORDER BY p.id) FROM payments p JOIN orders o ON o.id = p.order_id AND o.created_at = p.order_created_at "
                + "WHERE o.user_id = " + subject + " AND to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM') = '" + archivedMonth + "'";
        String inArchive = text(archived.cluster().port(), "restored_archive", archivedPayments);
        assertThat(inArchive).isNotNull().contains("/").isEqualTo(text(archived.cluster().port(), DB, archivedPayments));

        CellarCli.Run lookup = archived.cellarOk("archive", "restore", "-d", DB, "--month", archivedMonth, "--table", "users",
                "--where", "id = " + subject, "--json");
        JsonNode row = JSON.readTree(lookup.stdout());
        assertThat(row.toString()).contains("@erased.invalid").doesNotContain(originalEmail);
    }

    @Test
    @Order(9)
    void aRequestIsPendingUntilDueThenApplyDueAppliesIt() throws Exception {
        long other = count(archived.cluster().port(), DB, "SELECT min(id) FROM users WHERE id <> " + subject + " AND email NOT LIKE 'erased-%'");
        CellarCli.Run pending = archived.cellarOk("gdpr", "erase", "-d", DB, "--subject", "users:" + other, "--due-days", "0");
        assertThat(pending.stdout()).contains("erasure requested: request 3");
        assertThat(count(archived.cluster().port(), DB, "SELECT count(*) FROM users WHERE id = " + other + " AND email LIKE 'erased-%'")).isZero();
        assertThat(archived.cellar("gdpr", "erase", "-d", DB, "--subject", "users:" + other, "--due-days", "31").exitCode()).isEqualTo(2);

        CellarCli.Run applied = archived.cellarOk("gdpr", "apply-due", "-d", DB);

        assertThat(applied.stdout()).startsWith("1 erasure request(s) applied, 0 pending");
        assertThat(count(archived.cluster().port(), DB, "SELECT count(*) FROM users WHERE id = " + other + " AND email LIKE 'erased-%'")).isOne();
        assertThat(archived.cellarOk("gdpr", "ledger", "verify").stdout()).contains("4 entries, 2 requests, 2 applied: chain intact");

        // both erasures come back into a restore of the backup taken before either, in one transaction
        CellarCli.Run restore = archived.cellarOk("restore", "logical", logicalBackup, "-d", DB, "--target-db", "restored_after_two");
        assertThat(restore.stdout()).contains("re-applied 2 erasures");
        assertErased(archived.cluster().port(), "restored_after_two");
        assertThat(count(archived.cluster().port(), "restored_after_two", "SELECT count(*) FROM users WHERE id = " + other
                + " AND email LIKE 'erased-%'")).isOne();
    }

    private void assertErased(int port, String database) throws SQLException {
        assertPersonalDataErased(port, database);
        assertThat(payments(port, database)).isEqualTo(paymentsBefore);
    }

    /** The user's row pseudonymised and nulled, its activity gone, its orders without delivery details or notes. */
    private void assertPersonalDataErased(int port, String database) throws SQLException {
        try (Connection c = ArchivedCluster.connect(port, database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT email, full_name, phone, street, city, postal_code FROM users WHERE id = " + subject)) {
            assertThat(rs.next()).as("the user's row stays (orders and payments reference it)").isTrue();
            assertThat(rs.getString(1)).matches("erased-[0-9a-f]{12}@erased\\.invalid");
            assertThat(rs.getString(2)).matches("erased-[0-9a-f]{12}");
            for (int column = 3; column <= 6; column++) {
                assertThat(rs.getString(column)).isNull();
            }
        }
        assertThat(count(port, database, "SELECT count(*) FROM user_activity WHERE user_id = " + subject)).isZero();
        assertThat(count(port, database, "SELECT count(*) FROM orders WHERE user_id = " + subject + " AND (notes IS NOT NULL OR "
                + "delivery_details IS NOT NULL)")).isZero();
    }

    private static String text(int port, String database, String sql) throws SQLException {
        try (Connection c = ArchivedCluster.connect(port, database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The subject's payments with the fields the law keeps: must be unchanged by erasure. */
    private String payments(int port, String database) throws SQLException {
        try (Connection c = ArchivedCluster.connect(port, database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) || ':' || string_agg(p.id || '/' || coalesce(p.card_last4, '-') || '/' || "
                     + "p.processor_ref || '/' || p.amount, ',' ORDER BY p.id) FROM payments p JOIN orders o ON o.id = p.order_id "
                     + "AND o.created_at = p.order_created_at WHERE o.user_id = " + subject)) {
            rs.next();
            String value = rs.getString(1);
            assertThat(value).doesNotStartWith("0:");
            return value;
        }
    }

    private static long count(int port, String database, String sql) throws SQLException {
        try (Connection c = ArchivedCluster.connect(port, database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
