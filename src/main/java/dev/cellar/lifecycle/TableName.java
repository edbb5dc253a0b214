package dev.cellar.lifecycle;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.SnapshotSession;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table as PostgreSQL names it: schema and name kept apart, exact case, quoted only when written
 * into SQL. The data policy and the foreign-key graph share it, so a table a policy names is the
 * same value as the graph's.
 */
public record TableName(String schema, String name) implements Comparable<TableName> {
    public static final String DEFAULT_SCHEMA = "public";
    /** What a policy file may write: lowercase unquoted identifiers. */
    private static final Pattern POLICY_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /** True for {@code users} and {@code audit.audit_logs}; false for anything quoted, spaced or uppercase. */
    public static boolean isPolicyName(String text) {
        String[] parts = text.split("\\.", -1);
        return switch (parts.length) {
            case 1 -> isPolicyIdentifier(parts[0]);
            case 2 -> isPolicyIdentifier(parts[0]) && isPolicyIdentifier(parts[1]);
            default -> false;
        };
    }

    /** A column or schema name as a policy file may write it. */
    public static boolean isPolicyIdentifier(String text) {
        return text != null && POLICY_IDENTIFIER.matcher(text).matches();
    }

    /** Schema and name, always: {@code public.users}. */
    public String qualified() {
        return schema + "." + name;
    }

    /**
     * {@code users} (schema public), {@code audit.audit_logs}, or {@code app.Order}: names are taken as
     * written, not case-folded, because the operator copies them from the catalog.
     */
    public static TableName parse(String text) {
        int dot = text.indexOf('.');
        TableName table = dot < 0 ? new TableName(DEFAULT_SCHEMA, text) : new TableName(text.substring(0, dot), text.substring(dot + 1));
        if (table.schema.isEmpty() || table.name.isEmpty()) {
            throw new CellarException(ErrorCode.USAGE, "'" + text + "' is not a table name",
                    "write the table as name or schema.name, for example users or audit.audit_logs");
        }
        return table;
    }

    /** The table as a SQL identifier: {@code "app"."Order"}. */
    public String quoted() {
        return SnapshotSession.quoteIdentifier(schema) + "." + SnapshotSession.quoteIdentifier(name);
    }

    @Override
    public int compareTo(TableName other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    /** As a policy writes it and messages show it: the schema only when it is not public. */
    @Override
    public String toString() {
        return schema.equals(DEFAULT_SCHEMA) ? name : qualified();
    }
}
