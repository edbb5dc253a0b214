package dev.cellar.lifecycle.portability;

/** The two forms of a portability export: one JSON document with its schema, or one CSV file per table. */
public enum ExportFormat {
    JSON, CSV
}
