package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicySchemaCheckTest {
    private static final DataPolicy SHIPPED = DataPolicyParser.restaurantOrdering();
    private static final String SMALL_POLICY = """
            database: shop
            categories:
              financial:
                retention: 7 years
                tables:
                  payments:
                    dated-by: %s
              user-activity:
                retention: 2 years
                tables:
                  users:
                    dated-by: last_active_at
                  user_activity:
                    dated-by: {table: %s, column: last_active_at}
            personal-data:
              users:
                email: %s
            not-personal:
              cafes: a business
            """;

    @Test
    void shippedPolicyFitsTheSampleSchema() {
        assertThat(PolicySchemaCheck.check(SHIPPED, RestaurantSchemas.sample())).isEmpty();
    }

    @Test
    void unknownTablesAndColumnsAreNamedByKeyPath() {
        DataPolicy policy = DataPolicyParser.parse(SMALL_POLICY.formatted("paid_on", "users", "pseudonymise")
                .replace("users:\n    email", "customers:\n    email"), "shop.yaml");

        List<PolicyFinding> findings = PolicySchemaCheck.check(policy, RestaurantSchemas.sample());

        assertThat(findings).extracting(PolicyFinding::kind, PolicyFinding::keyPath).contains(
                tuple(PolicyFinding.Kind.UNKNOWN_COLUMN, "categories.financial.tables.payments.dated-by"),
                tuple(PolicyFinding.Kind.UNKNOWN_TABLE, "personal-data.customers"),
                tuple(PolicyFinding.Kind.UNCOVERED_PERSONAL_DATA, "personal-data.customers"));
        assertThat(findings.get(0).message()).contains("payments has no column paid_on").contains("paid_at");
    }

    @Test
    void datingColumnMustBeADateOrTimestamp() {
        DataPolicy policy = DataPolicyParser.parse(SMALL_POLICY.formatted("processor_ref", "users", "pseudonymise"), "shop.yaml");

        assertThat(PolicySchemaCheck.check(policy, RestaurantSchemas.sample()))
                .filteredOn(f -> f.kind() == PolicyFinding.Kind.DATING_COLUMN_TYPE)
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.keyPath()).isEqualTo("categories.financial.tables.payments.dated-by");
                    assertThat(f.message()).contains("payments.processor_ref is text");
                });
    }

    @Test
    void datingThroughATableWithoutForeignKeyIsAFinding() {
        DataPolicy policy = DataPolicyParser.parse(SMALL_POLICY.formatted("paid_at", "cafes", "pseudonymise")
                .replace("column: last_active_at}", "column: created_at}"), "shop.yaml");

        assertThat(PolicySchemaCheck.check(policy, RestaurantSchemas.sample()))
                .extracting(PolicyFinding::kind, PolicyFinding::keyPath)
                .contains(tuple(PolicyFinding.Kind.NO_FOREIGN_KEY, "categories.user-activity.tables.user_activity.dated-by.table"));
    }

    @Test
    void nullingANotNullColumnIsAFinding() {
        DataPolicy policy = DataPolicyParser.parse(SMALL_POLICY.formatted("paid_at", "users", "'null'"), "shop.yaml");

        assertThat(PolicySchemaCheck.check(policy, RestaurantSchemas.sample()))
                .extracting(PolicyFinding::kind, PolicyFinding::keyPath)
                .contains(tuple(PolicyFinding.Kind.NULL_IN_NOT_NULL_COLUMN, "personal-data.users.email"));
    }

    @Test
    void tableWithPersonalLookingColumnsOutsideEveryCategoryIsAFinding() {
        SchemaSnapshot schema = RestaurantSchemas.with(RestaurantSchemas.sample(),
                RestaurantSchemas.table("newsletter_signups", Set.of(), "id bigint!", "contact_email text!", "signed_up_at date!"));

        assertThat(PolicySchemaCheck.check(SHIPPED, schema)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(PolicyFinding.Kind.UNCOVERED_PERSONAL_DATA);
            assertThat(f.keyPath()).isEqualTo("newsletter_signups");
            assertThat(f.message()).contains("(contact_email)");
        });
    }

    @Test
    void notPersonalSilencesATableOnPurpose() {
        DataPolicy withoutExemption = new DataPolicy(SHIPPED.database(), SHIPPED.categories(), SHIPPED.personalData(), java.util.Map.of(), SHIPPED.subjects());

        assertThat(PolicySchemaCheck.check(withoutExemption, RestaurantSchemas.sample()))
                .extracting(PolicyFinding::kind, PolicyFinding::keyPath)
                .containsExactly(tuple(PolicyFinding.Kind.UNCOVERED_PERSONAL_DATA, "cafes"));
    }

    @Test
    void personalLookingColumnOfACategorisedTableMustBeDeclared() {
        SchemaTable users = RestaurantSchemas.sample().table(TableName.parse("users")).orElseThrow();
        List<SchemaColumn> columns = new java.util.ArrayList<>(users.columns());
        columns.add(new SchemaColumn("date_of_birth", "date", true));
        SchemaSnapshot schema = RestaurantSchemas.with(RestaurantSchemas.sample(), new SchemaTable(users.name(), columns, users.references()));

        assertThat(PolicySchemaCheck.check(SHIPPED, schema))
                .extracting(PolicyFinding::kind, PolicyFinding::keyPath)
                .containsExactly(tuple(PolicyFinding.Kind.UNDECLARED_PERSONAL_COLUMN, "personal-data.users.date_of_birth"));
    }

    @Test
    void heuristicKnowsPeopleFromThingsByName() {
        assertThat(PersonalDataHeuristic.looksPersonal(new SchemaColumn("full_name", "text", false))).isTrue();
        assertThat(PersonalDataHeuristic.looksPersonal(new SchemaColumn("billing_address", "text", false))).isTrue();
        assertThat(PersonalDataHeuristic.looksPersonal(new SchemaColumn("origin", "inet", false))).isTrue();
        assertThat(PersonalDataHeuristic.looksPersonal(new SchemaColumn("name", "text", false))).isFalse();
        assertThat(PersonalDataHeuristic.looksPersonal(new SchemaColumn("description", "text", false))).isFalse();
        assertThat(PersonalDataHeuristic.looksPersonal(new SchemaColumn("shipping", "text", false))).isFalse();
    }
}
