package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyParserTest {
    private static final String MINIMAL = """
            database: shop
            categories:
              financial:
                retention: 7 years
                tables:
                  payments:
                    dated-by: paid_at
              activity:
                retention: 2 years
                tables:
                  audit.clicks:
                    dated-by: {table: users, column: last_active_at}
            personal-data:
              users:
                email: pseudonymise
                phone: 'null'
              payments:
                card_last4: {action: keep, reason: tax law}
            not-personal:
              shops: a business's address
            """;

    @Test
    void shippedRestaurantPolicyStatesTheSeedsRetentions() {
        DataPolicy policy = DataPolicyParser.restaurantOrdering();

        assertThat(policy.database()).isEqualTo("restaurant_ordering");
        assertThat(policy.categories()).extracting(DataCategory::name, c -> c.retention().toString()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("financial", "7 years"),
                org.assertj.core.groups.Tuple.tuple("user-activity", "2 years"),
                org.assertj.core.groups.Tuple.tuple("orders", "3 years"),
                org.assertj.core.groups.Tuple.tuple("inventory", "3 years"),
                org.assertj.core.groups.Tuple.tuple("employee-records", "7 years"),
                org.assertj.core.groups.Tuple.tuple("audit-logs", "10 years"));
        assertThat(policy.categoryOf(TableName.parse("user_activity")).orElseThrow().tables())
                .contains(new CategoryTable(TableName.parse("user_activity"),
                        new RowDating.ReferencedColumn(TableName.parse("users"), "last_active_at")));
        assertThat(policy.categoryOf(TableName.parse("employees")).orElseThrow().tables().get(0).datedBy())
                .isEqualTo(new RowDating.OwnColumn("employment_end"));
        assertThat(policy.categoryOf(new TableName("audit", "audit_logs"))).map(DataCategory::name).contains("audit-logs");
        assertThat(policy.personalDataOf(TableName.parse("payments")).orElseThrow().columns())
                .allSatisfy(c -> {
                    assertThat(c.action()).isEqualTo(ErasureAction.KEEP);
                    assertThat(c.reason()).contains("7 years");
                });
        assertThat(policy.personalDataOf(TableName.parse("users")).orElseThrow().columns())
                .extracting(PersonalColumn::column, PersonalColumn::action)
                .contains(org.assertj.core.groups.Tuple.tuple("email", ErasureAction.PSEUDONYMISE),
                        org.assertj.core.groups.Tuple.tuple("phone", ErasureAction.NULL));
    }

    @Test
    void parsesEveryKindOfEntry() {
        DataPolicy policy = DataPolicyParser.parse(MINIMAL, "shop.yaml");

        assertThat(policy.categories()).hasSize(2);
        DataCategory financial = policy.categories().get(0);
        assertThat(financial.retention()).isEqualTo(new RetentionPeriod(7, RetentionPeriod.Unit.YEARS));
        assertThat(financial.tables()).containsExactly(new CategoryTable(new TableName("public", "payments"), new RowDating.OwnColumn("paid_at")));
        assertThat(policy.categories().get(1).tables().get(0).table()).isEqualTo(new TableName("audit", "clicks"));
        assertThat(policy.personalDataOf(TableName.parse("users")).orElseThrow().columns()).containsExactly(
                new PersonalColumn("email", ErasureAction.PSEUDONYMISE, null), new PersonalColumn("phone", ErasureAction.NULL, null));
        assertThat(policy.personalDataOf(TableName.parse("payments")).orElseThrow().columns())
                .containsExactly(new PersonalColumn("card_last4", ErasureAction.KEEP, "tax law"));
        assertThat(policy.notPersonal()).containsEntry(TableName.parse("shops"), "a business's address");
    }

    @Test
    void misspelledRetentionNamesItsKeyPath() {
        assertInvalid(MINIMAL.replace("7 years", "7 yaers"),
                "categories.financial.retention: '7 yaers' is not a period like '7 years'");
        assertThatThrownBy(() -> DataPolicyParser.parse(MINIMAL.replace("7 years", "7 yaers"), "shop.yaml"))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.hint()).contains("docs/data-policy.md"));
    }

    @Test
    void unknownKeyNamesItsPathAndTheKnownKeys() {
        assertInvalid(MINIMAL.replace("    retention: 2 years", "    retension: 2 years"),
                "categories.activity.retension: is not a key here; the keys are on-conflict, retention, rpo, rto, tables");
    }

    @Test
    void missingDatingNamesTheTable() {
        assertInvalid(MINIMAL.replace("        dated-by: paid_at", "        dated-by:"),
                "categories.financial.tables.payments.dated-by: is missing");
    }

    @Test
    void tableInTwoCategoriesIsRefused() {
        assertInvalid(MINIMAL.replace("audit.clicks:", "payments:"),
                "categories.activity.tables.payments: is already in category 'financial'");
    }

    @Test
    void unknownActionListsTheActions() {
        assertInvalid(MINIMAL.replace("email: pseudonymise", "email: anonymise"),
                "personal-data.users.email: 'anonymise' is not an erasure action; use one of delete-row, null, pseudonymise, keep");
    }

    @Test
    void unquotedNullIsExplainedNotTakenForTheAction() {
        assertInvalid(MINIMAL.replace("phone: 'null'", "phone: null"),
                "personal-data.users.phone: has no action");
    }

    @Test
    void keepWithoutReasonIsRefused() {
        assertInvalid(MINIMAL.replace("{action: keep, reason: tax law}", "keep"),
                "personal-data.payments.card_last4: keep needs a reason");
        assertInvalid(MINIMAL.replace("{action: keep, reason: tax law}", "{action: keep}"),
                "personal-data.payments.card_last4.reason: is missing");
    }

    @Test
    void reasonOnAnotherActionIsRefused() {
        assertInvalid(MINIMAL.replace("{action: keep, reason: tax law}", "{action: delete-row, reason: tax law}"),
                "personal-data.payments.card_last4.reason: is only for keep");
    }

    @Test
    void quotedOrUppercaseTableNameIsRefused() {
        assertInvalid(MINIMAL.replace("  payments:\n    card", "  Payments:\n    card"),
                "personal-data.Payments: 'Payments' is not a table name");
    }

    @Test
    void duplicateKeyIsRefusedAsInvalidYaml() {
        assertInvalid(MINIMAL.replace("database: shop", "database: shop\ndatabase: other"), "shop.yaml is not valid YAML (line 2)");
    }

    @Test
    void policyWithoutCategoriesIsRefused() {
        assertInvalid("database: shop\n", "categories: is missing");
        assertInvalid("", "(top): is empty");
    }

    @Test
    void readsAFileAndNamesItInMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, MINIMAL.replace("2 years", "two years"));

        assertThatThrownBy(() -> DataPolicyParser.parse(file))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("categories.activity.retention: 'two years'")
                .hasMessageContaining(file.toString());
    }

    @Test
    void retentionPeriodsParseAndPrintInCalendarUnits() {
        assertThat(RetentionPeriod.parse("1 year")).contains(new RetentionPeriod(1, RetentionPeriod.Unit.YEARS));
        assertThat(RetentionPeriod.parse("18 Months").map(RetentionPeriod::toString)).contains("18 months");
        assertThat(RetentionPeriod.parse("0 days")).isEmpty();
        assertThat(RetentionPeriod.parse("7")).isEmpty();
        assertThat(RetentionPeriod.parse("7 fortnights")).isEmpty();
        assertThat(new RetentionPeriod(7, RetentionPeriod.Unit.YEARS).dueOn(LocalDate.of(2020, 2, 29))).isEqualTo(LocalDate.of(2027, 2, 28));
    }

    private static void assertInvalid(String yaml, String expected) {
        assertThatThrownBy(() -> DataPolicyParser.parse(yaml, "shop.yaml"))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains(expected);
                    assertThat(e.hint()).isNotBlank();
                });
    }
}
