package dev.cellar.sample;

/** Generates the rows of one table in COPY text format. */
interface TableRows {
    /** Table name, schema-qualified when not in public. */
    String table();

    /** The copied columns, comma-separated, in the order {@link #writeTo} writes them. */
    String columns();

    void writeTo(RowWriter out);
}
