package dev.cellar.lifecycle.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.policy.DataPolicyParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The statement each table of the shipped policy gets: delete-row wins, keep is left alone, the rest nulled or pseudonymised. */
class TableErasureStatementTest {
    private static final String HASH = "fedcba9876543210".repeat(4);
    private static final ErasureRule RULE = ErasureRule.from(DataPolicyParser.restaurantOrdering());

    private static ColumnFacts text(String name) {
        return new ColumnFacts(name, "text", 'S', true, null, false, false);
    }

    @Test
    void usersArePseudonymisedAndNulledNotDeleted() {
        Map<String, ColumnFacts> facts = Map.of("email", new ColumnFacts("email", "text", 'S', false, null, true, true),
                "full_name", text("full_name"), "phone", text("phone"), "street", text("street"), "city", text("city"),
                "postal_code", text("postal_code"));

        TableErasureStatement s = TableErasureStatement.of(RULE.ruleOf(new TableName("public", "users")).orElseThrow(), facts, HASH,
                List.of("id"), "k0", true).orElseThrow();

        assertThat(s.sql()).startsWith("UPDATE \"public\".\"users\" SET ").contains("\"city\" = NULL", "\"phone\" = NULL",
                "\"email\" = CAST(? AS text)").endsWith(" WHERE (\"id\") IN (SELECT \"id\" FROM k0)");
        assertThat(s.parameters()).containsExactly("erased-fedcba987654@erased.invalid", "erased-fedcba987654");
    }

    @Test
    void activityRowsAreDeleted() {
        TableErasureStatement s = TableErasureStatement.of(RULE.ruleOf(new TableName("public", "user_activity")).orElseThrow(), Map.of(),
                HASH, List.of("id"), "k1", false).orElseThrow();

        assertThat(s.sql()).isEqualTo("DELETE FROM \"public\".\"user_activity\" WHERE (\"id\") IN (SELECT \"id\" FROM k1)");
    }

    @Test
    void paymentsKeepEverythingSoNoStatementRuns() {
        assertThat(TableErasureStatement.of(RULE.ruleOf(new TableName("public", "payments")).orElseThrow(), Map.of(), HASH, List.of("id"),
                "k2", false)).isEmpty();
    }

    @Test
    void theRuleDigestChangesWithAnyAction() {
        ErasureRule.TableRule users = RULE.ruleOf(new TableName("public", "users")).orElseThrow();
        List<ErasureRule.ColumnRule> changed = users.columns().stream()
                .map(c -> c.column().equals("city") ? new ErasureRule.ColumnRule("city", dev.cellar.lifecycle.policy.ErasureAction.KEEP) : c)
                .toList();
        List<ErasureRule.TableRule> tables = RULE.tables().stream().map(t -> t == users ? new ErasureRule.TableRule(t.table(), changed) : t).toList();

        assertThat(RULE.consistent()).isTrue();
        assertThat(ErasureRule.digestOf(tables)).isNotEqualTo(RULE.digest());
        assertThat(ErasureRule.canonicalText(RULE.tables())).contains("public.users.email=pseudonymise\n", "public.payments.card_last4=keep\n");
    }
}
