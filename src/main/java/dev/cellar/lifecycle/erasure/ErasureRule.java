package dev.cellar.lifecycle.erasure;

import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.policy.DataPolicy;
import dev.cellar.lifecycle.policy.ErasureAction;
import dev.cellar.lifecycle.policy.PersonalColumn;
import dev.cellar.lifecycle.policy.PersonalDataTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The erasure rule as the ledger records it: per table, what happens to each personal-data
 * column, copied from the policy when the request was made. A restore re-applies this rule, not
 * whatever the policy says on the day of the restore, so the erasure a subject was promised is the
 * one that comes back. The digest names the rule in messages and lets an auditor compare two
 * requests at a glance.
 *
 * @param tables tables by their qualified name ({@code public.users}), sorted
 * @param digest SHA-256 over the canonical text of the rule ({@link #canonicalText})
 */
public record ErasureRule(List<TableRule> tables, String digest) {
    public ErasureRule {
        tables = List.copyOf(tables);
    }

    /** What erasure does to the columns of one table. */
    public record TableRule(String table, List<ColumnRule> columns) {
        public TableRule {
            columns = List.copyOf(columns);
        }

        public TableName tableName() {
            return TableName.parse(table);
        }

        public boolean deletesRow() {
            return columns.stream().anyMatch(c -> c.action() == ErasureAction.DELETE_ROW);
        }
    }

    /** One column and its action. */
    public record ColumnRule(String column, ErasureAction action) {
    }

    /** The personal-data section of {@code policy}, as a rule. */
    public static ErasureRule from(DataPolicy policy) {
        List<TableRule> tables = policy.personalData().stream()
                .sorted(Comparator.comparing(PersonalDataTable::table))
                .map(p -> new TableRule(p.table().qualified(), p.columns().stream()
                        .sorted(Comparator.comparing(PersonalColumn::column))
                        .map(c -> new ColumnRule(c.column(), c.action())).toList()))
                .toList();
        return new ErasureRule(tables, digestOf(tables));
    }

    public Optional<TableRule> ruleOf(TableName table) {
        return tables.stream().filter(t -> t.table().equals(table.qualified())).findFirst();
    }

    /** True when the digest still matches the tables (a ledger entry is authenticated, but this catches a writer's bug). */
    public boolean consistent() {
        return digestOf(tables).equals(digest);
    }

    /** One line per column, {@code public.users.email=pseudonymise}, in table then column order. */
    static String canonicalText(List<TableRule> tables) {
        StringBuilder text = new StringBuilder();
        for (TableRule table : tables) {
            for (ColumnRule column : table.columns()) {
                text.append(table.table()).append('.').append(column.column()).append('=').append(column.action().word()).append('\n');
            }
        }
        return text.toString();
    }

    static String digestOf(List<TableRule> tables) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonicalText(tables).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
