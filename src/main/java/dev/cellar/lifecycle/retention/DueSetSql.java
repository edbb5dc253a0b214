package dev.cellar.lifecycle.retention;

import dev.cellar.lifecycle.graph.ForeignKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of retention, written from {@link RetentionRules}: the due set of each table in a
 * temporary table, the rounds that drop from it the rows a staying row still references, the
 * counts the plan reports, and the batch delete that re-checks every row as it goes.
 */
final class DueSetSql {
    static final int PENDING = 0;
    static final int IN_BATCH = 1;
    static final int DELETED = 2;
    static final int SKIPPED = 3;

    private final RetentionRules rules;

    DueSetSql(RetentionRules rules) {
        this.rules = rules;
    }

    /** Creates the due and going tables of every retained table: every due row, with the columns kept. */
    List<String> createDueSets() {
        List<String> sql = new ArrayList<>();
        for (TableRule rule : rules.tables()) {
            String kept = RetentionRules.columns("t", rule.keptColumns());
            sql.add("DROP TABLE IF EXISTS " + rule.dueTable());
            sql.add("DROP TABLE IF EXISTS " + rule.goingTable());
            sql.add("CREATE TEMPORARY TABLE " + rule.dueTable().substring("pg_temp.".length()) + " AS SELECT "
                    + kept.substring(1, kept.length() - 1) + " FROM " + rule.table().quoted() + " t WHERE " + rule.dueCondition());
            sql.add("CREATE TEMPORARY TABLE " + rule.goingTable().substring("pg_temp.".length()) + " AS SELECT *, "
                    + PENDING + "::smallint AS cellar_state FROM " + rule.dueTable());
            sql.add("CREATE INDEX ON " + rule.goingTable() + " " + RetentionRules.columns(null, rule.primaryKey()));
            sql.add("ANALYZE " + rule.goingTable());
        }
        return sql;
    }

    /** One round: each statement drops from a going set the rows that a row staying in production still references. */
    List<String> holdBackRound() {
        List<String> sql = new ArrayList<>();
        for (Guard guard : rules.guards()) {
            if (guard.effect() != Guard.Effect.HOLDS) {
                continue;
            }
            TableRule parent = rules.ruleOf(guard.key().referencedTable()).orElseThrow();
            sql.add("DELETE FROM " + parent.goingTable() + " r WHERE " + stayingChildExists(guard.key(), "r"));
        }
        return sql;
    }

    /** Due rows held back by {@code guard}: due, not going, and referenced by a row that stays. */
    String heldBy(Guard guard) {
        TableRule parent = rules.ruleOf(guard.key().referencedTable()).orElseThrow();
        return "SELECT count(*) FROM " + parent.dueTable() + " d WHERE NOT EXISTS (SELECT 1 FROM " + parent.goingTable()
                + " g WHERE " + RetentionRules.columns("g", parent.primaryKey()) + " = " + RetentionRules.columns("d", parent.primaryKey())
                + ") AND " + stayingChildExists(guard.key(), "d");
    }

    /** Staying rows that a detach (by Cellar or by the database) would unhook from going rows. */
    String detachedBy(Guard guard) {
        TableRule parent = rules.ruleOf(guard.key().referencedTable()).orElseThrow();
        return "SELECT count(*) FROM " + guard.key().table().quoted() + " x WHERE EXISTS (SELECT 1 FROM " + parent.goingTable()
                + " r WHERE " + RetentionRules.columns("x", guard.key().columns()) + " = "
                + RetentionRules.columns("r", guard.key().referencedColumns()) + ")" + notGoing(guard.key(), "x");
    }

    String count(String table) {
        return "SELECT count(*) FROM " + table;
    }

    /** Marks the next batch of pending rows of {@code rule}, in key order. */
    String markBatch(TableRule rule, int batchRows) {
        String key = RetentionRules.columns(null, rule.primaryKey());
        return "UPDATE " + rule.goingTable() + " SET cellar_state = " + IN_BATCH + " WHERE " + key + " IN (SELECT " + key.substring(1, key.length() - 1)
                + " FROM " + rule.goingTable() + " WHERE cellar_state = " + PENDING + " ORDER BY " + key.substring(1, key.length() - 1)
                + " LIMIT " + batchRows + ")";
    }

    /** Sets to NULL the references of staying rows to the batch's rows, where the policy says detach. */
    List<String> detachBatch(TableRule rule) {
        List<String> sql = new ArrayList<>();
        for (Guard guard : rules.guardsInto(rule.table())) {
            if (guard.effect() != Guard.Effect.DETACH) {
                continue;
            }
            ForeignKey key = guard.key();
            StringBuilder set = new StringBuilder();
            for (String column : key.columns()) {
                set.append(set.isEmpty() ? "" : ", ").append(RetentionRules.quote(column)).append(" = NULL");
            }
            sql.add("UPDATE " + key.table().quoted() + " x SET " + set + " WHERE " + RetentionRules.columns("x", key.columns())
                    + " IN (SELECT " + String.join(", ", key.referencedColumns().stream().map(RetentionRules::quote).toList())
                    + " FROM " + rule.goingTable() + " WHERE cellar_state = " + IN_BATCH + ")");
        }
        return sql;
    }

    /**
     * Deletes the batch's rows that are still due and that no row references any more through a
     * key that holds, and marks them deleted; the rest of the batch is marked skipped. Children
     * went in earlier batches, so a reference left now is a row that stays.
     */
    String deleteBatch(TableRule rule) {
        String key = RetentionRules.columns(null, rule.primaryKey());
        String plainKey = key.substring(1, key.length() - 1);
        StringBuilder stillFree = new StringBuilder();
        for (Guard guard : rules.guardsInto(rule.table())) {
            if (guard.effect() == Guard.Effect.HOLDS) {
                ForeignKey fk = guard.key();
                stillFree.append(" AND NOT EXISTS (SELECT 1 FROM ").append(fk.table().quoted()).append(" x WHERE ")
                        .append(RetentionRules.columns("x", fk.columns())).append(" = ").append(RetentionRules.columns("t", fk.referencedColumns()))
                        .append(")");
            }
        }
        return "WITH gone AS (DELETE FROM " + rule.table().quoted() + " t WHERE " + RetentionRules.columns("t", rule.primaryKey())
                + " IN (SELECT " + plainKey + " FROM " + rule.goingTable() + " WHERE cellar_state = " + IN_BATCH + ") AND "
                + rule.dueCondition() + stillFree + " RETURNING " + RetentionRules.columns("t", rule.primaryKey()).replaceAll("[()]", "")
                + ") UPDATE " + rule.goingTable() + " g SET cellar_state = " + DELETED + " FROM gone WHERE "
                + RetentionRules.columns("g", rule.primaryKey()) + " = " + RetentionRules.columns("gone", rule.primaryKey());
    }

    String skipRestOfBatch(TableRule rule) {
        return "UPDATE " + rule.goingTable() + " SET cellar_state = " + SKIPPED + " WHERE cellar_state = " + IN_BATCH;
    }

    /** The archive's selection of a table: its going rows, as a condition over the table's own columns. */
    String selection(TableRule rule) {
        String key = RetentionRules.columns(null, rule.primaryKey());
        return key + " IN (SELECT " + key.substring(1, key.length() - 1) + " FROM " + rule.goingTable() + ")";
    }

    private String stayingChildExists(ForeignKey key, String parentAlias) {
        return "EXISTS (SELECT 1 FROM " + key.table().quoted() + " x WHERE " + RetentionRules.columns("x", key.columns()) + " = "
                + RetentionRules.columns(parentAlias, key.referencedColumns()) + notGoing(key, "x") + ")";
    }

    /** " AND the row x is not itself going", or nothing when its table is not retained (its rows always stay). */
    private String notGoing(ForeignKey key, String alias) {
        return rules.ruleOf(key.table()).map(child -> " AND NOT EXISTS (SELECT 1 FROM " + child.goingTable() + " y WHERE "
                + RetentionRules.columns("y", child.primaryKey()) + " = " + RetentionRules.columns(alias, child.primaryKey()) + ")").orElse("");
    }
}
