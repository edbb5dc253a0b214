package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON form of an export: one document, described by {@link ExportSchema}. */
public final class ExportDocument {
    /** Names this document's layout; a reader checks it before anything else. */
    public static final String FORMAT = "cellar-portability-export/1";

    private ExportDocument() {
    }

    public static ObjectNode of(PortabilityExport export) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode document = json.objectNode();
        document.put("format", FORMAT);
        document.put("subject", export.subject());
        document.put("database", export.database());
        document.put("exportedAt", export.exportedAt().toString());
        document.put("policySource", export.policySource());
        ObjectNode tables = document.putObject("tables");
        for (ExportedTable table : export.tables()) {
            ObjectNode node = tables.putObject(table.exportName());
            ArrayNode columns = node.putArray("columns");
            for (ExportColumn column : table.columns()) {
                columns.addObject().put("name", column.name()).put("type", column.type()).put("nullable", column.nullable());
            }
            ArrayNode rows = node.putArray("rows");
            for (List<com.fasterxml.jackson.databind.JsonNode> values : table.rows()) {
                ObjectNode row = rows.addObject();
                for (int i = 0; i < values.size(); i++) {
                    row.set(table.columns().get(i).name(), values.get(i));
                }
            }
        }
        return document;
    }
}
