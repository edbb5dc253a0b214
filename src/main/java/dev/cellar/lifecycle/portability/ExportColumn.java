package dev.cellar.lifecycle.portability;

/**
 * One column of an exported table.
 *
 * @param type the type as PostgreSQL prints it ({@code numeric(12,2)}, {@code "Loyalty".tier}), for the reader
 */
public record ExportColumn(String name, String type, boolean nullable, ValueKind kind) {
}
