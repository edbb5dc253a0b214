package dev.cellar.lifecycle.policy;

import java.util.regex.Pattern;

/**
 * A table as a policy names it: {@code payments} for the public schema, {@code audit.audit_logs}
 * for any other. A policy writes lowercase unquoted identifiers only ({@link #isValid}).
 */
public record TableName(String schema, String name) implements Comparable<TableName> {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");
    public static final String DEFAULT_SCHEMA = "public";

    public TableName {
        // a live schema may hold names a policy cannot write (mixed case); they still compare by value
        if (schema == null || schema.isEmpty() || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a table needs a schema and a name: " + schema + "." + name);
        }
    }

    /** True for {@code users} and {@code audit.audit_logs}; false for anything quoted, spaced or uppercase. */
    public static boolean isValid(String text) {
        String[] parts = text.split("\\.", -1);
        return switch (parts.length) {
            case 1 -> isIdentifier(parts[0]);
            case 2 -> isIdentifier(parts[0]) && isIdentifier(parts[1]);
            default -> false;
        };
    }

    public static TableName parse(String text) {
        if (!isValid(text)) {
            throw new IllegalArgumentException("not a table name: " + text);
        }
        int dot = text.indexOf('.');
        return dot < 0 ? new TableName(DEFAULT_SCHEMA, text) : new TableName(text.substring(0, dot), text.substring(dot + 1));
    }

    static boolean isIdentifier(String text) {
        return text != null && IDENTIFIER.matcher(text).matches();
    }

    @Override
    public int compareTo(TableName other) {
        return toString().compareTo(other.toString());
    }

    /** As the policy writes it: the schema only when it is not public. */
    @Override
    public String toString() {
        return schema.equals(DEFAULT_SCHEMA) ? name : schema + "." + name;
    }
}
