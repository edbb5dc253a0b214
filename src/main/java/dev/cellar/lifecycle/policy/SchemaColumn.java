package dev.cellar.lifecycle.policy;

/** A column of a live table: its name, its type as {@code format_type} prints it, and whether it takes NULL. */
public record SchemaColumn(String name, String type, boolean nullable) {
}
