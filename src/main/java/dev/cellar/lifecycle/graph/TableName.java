package dev.cellar.lifecycle.graph;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.SnapshotSession;
import java.util.Objects;

/** A table as PostgreSQL names it: schema and name kept apart, exact case, quoted only when written into SQL. */
public record TableName(String schema, String name) implements Comparable<TableName> {

    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /**
     * {@code users} (schema public), {@code audit.audit_logs}, or {@code app.Order}: names are taken as
     * written, not case-folded, because the operator copies them from the catalog.
     */
    public static TableName parse(String text) {
        int dot = text.indexOf('.');
        TableName table = dot < 0 ? new TableName("public", text) : new TableName(text.substring(0, dot), text.substring(dot + 1));
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

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
