package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.lifecycle.TableName;
import java.util.List;

/** The subject's rows of one table: each row holds one value per column, in column order (JSON null for NULL). */
public record ExportedTable(TableName table, List<ExportColumn> columns, List<List<JsonNode>> rows) {
    public ExportedTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** The name the export files use: always schema-qualified, as PostgreSQL spells it (public.users, Loyalty.Card). */
    public String exportName() {
        return table.qualified();
    }
}
