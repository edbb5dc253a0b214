package dev.cellar.lifecycle.retention;

import dev.cellar.lifecycle.graph.DeleteAction;
import dev.cellar.lifecycle.policy.CategoryTable;
import dev.cellar.lifecycle.policy.DataCategory;
import dev.cellar.lifecycle.policy.DataPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes, in the caller's session, which rows go: fills the due and going temporary tables, then
 * drops held-back rows round after round until nothing changes (a payment holds its order, the
 * order then holds its user). The caller owns the transaction; the temporary tables stay for the
 * session, so apply deletes exactly what was archived.
 */
final class RetentionPlanner {
    /** More rounds than any chain of keys could need: a schema deeper than this is refused, not looped on. */
    private static final int MAX_ROUNDS = 64;

    private RetentionPlanner() {
    }

    static void computeGoingRows(Connection session, RetentionRules rules) throws SQLException {
        DueSetSql sql = new DueSetSql(rules);
        try (Statement st = session.createStatement()) {
            for (String statement : sql.createDueSets()) {
                st.execute(statement);
            }
            for (int round = 0; ; round++) {
                if (round == MAX_ROUNDS) {
                    throw new SQLException("the held-back rows did not settle after " + MAX_ROUNDS + " rounds");
                }
                long dropped = 0;
                for (String statement : sql.holdBackRound()) {
                    dropped += st.executeUpdate(statement);
                }
                if (dropped == 0) {
                    break;
                }
            }
        }
    }

    /** The plan, read from the temporary tables {@link #computeGoingRows} filled. */
    static RetentionPlan describe(Connection session, RetentionRules rules, DataPolicy policy, String policySource, String database)
            throws SQLException {
        DueSetSql sql = new DueSetSql(rules);
        List<RetentionPlan.CategoryPlan> categories = new ArrayList<>();
        for (DataCategory category : policy.categories()) {
            List<RetentionPlan.TablePlan> tables = new ArrayList<>();
            for (CategoryTable entry : category.tables()) {
                TableRule rule = rules.ruleOf(entry.table()).orElseThrow();
                long due = count(session, sql.count(rule.dueTable()));
                long going = count(session, sql.count(rule.goingTable()));
                List<RetentionPlan.Hold> holds = new ArrayList<>();
                long detached = 0;
                for (Guard guard : rules.guardsInto(rule.table())) {
                    if (guard.effect() == Guard.Effect.HOLDS) {
                        long held = count(session, sql.heldBy(guard));
                        if (held > 0) {
                            holds.add(new RetentionPlan.Hold(guard.key().table().toString(), guard.key().constraint(),
                                    guard.key().onDelete().name(), held, reason(guard)));
                        }
                    } else {
                        detached += count(session, sql.detachedBy(guard));
                    }
                }
                tables.add(new RetentionPlan.TablePlan(entry.table().toString(), entry.datedBy().toString(), due, going, due - going,
                        holds, detached));
            }
            categories.add(new RetentionPlan.CategoryPlan(category.name(), category.retention().toString(),
                    category.onConflict().policyText(), tables));
        }
        return new RetentionPlan(database, policySource, rules.at(), categories,
                rules.tables().stream().map(t -> t.table().toString()).toList());
    }

    static String reason(Guard guard) {
        String child = guard.key().table().toString();
        if (guard.key().onDelete() == DeleteAction.CASCADE) {
            return "deleting would cascade into rows of " + child + " that are not due";
        }
        return "rows of " + child + " that are not due (or are held) still reference them; they go when those rows do";
    }

    private static long count(Connection session, String query) throws SQLException {
        try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
