package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The JSON Schema (draft 2020-12) of one export: the generic schema shipped in the jar
 * ({@value #RESOURCE}), narrowed to the export's own tables, and in each table to its columns, with
 * every column's JSON type derived from its PostgreSQL type. A reader who has only the export and
 * this schema knows what each value is.
 */
public final class ExportSchema {
    public static final String RESOURCE = "/lifecycle/portability-export.schema.json";
    // what JsonValues writes; timestamps it cannot express in ISO-8601 keep PostgreSQL's text
    private static final String NUMERIC = "^(-?[0-9]+(\\.[0-9]+)?|NaN|-?Infinity)$";
    private static final String UNREPRESENTABLE = "|-?infinity|.+ BC|[0-9]{5,}-.+";
    private static final String TIMESTAMPTZ = "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?[+-][0-9]{2}:[0-9]{2}"
            + UNREPRESENTABLE + ")$";
    private static final String TIMESTAMP = "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?" + UNREPRESENTABLE + ")$";
    private static final String DATE = "^([0-9]{4}-[0-9]{2}-[0-9]{2}" + UNREPRESENTABLE + ")$";
    private static final String BASE64 = "^[A-Za-z0-9+/]*={0,2}$";

    private ExportSchema() {
    }

    /** The generic schema, as shipped. */
    public static ObjectNode generic() {
        try (InputStream in = ExportSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return (ObjectNode) JsonValues.EXACT.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The generic schema, with {@code tables} required to hold exactly {@code export}'s tables, each described column by column. */
    public static ObjectNode of(PortabilityExport export) {
        ObjectNode schema = generic();
        // the $id stays a URN: a subject such as "Loyalty.Card:7" would not make a valid one
        schema.put("$id", "urn:cellar:portability-export:1:one-export");
        schema.put("title", "Cellar data portability export of " + export.subject() + " from " + export.database());
        ObjectNode tables = (ObjectNode) schema.get("properties").get("tables");
        ObjectNode properties = tables.putObject("properties");
        ArrayNode required = tables.putArray("required");
        for (ExportedTable table : export.tables()) {
            properties.set(table.exportName(), table(table));
            required.add(table.exportName());
        }
        tables.put("additionalProperties", false);
        return schema;
    }

    private static ObjectNode table(ExportedTable table) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode specific = json.objectNode();
        ArrayNode allOf = specific.putArray("allOf");
        allOf.addObject().put("$ref", "#/$defs/table");
        ObjectNode own = allOf.addObject();
        ObjectNode properties = own.putObject("properties");
        ArrayNode columns = json.arrayNode();
        ObjectNode rowProperties = json.objectNode();
        ArrayNode names = json.arrayNode();
        for (ExportColumn column : table.columns()) {
            columns.addObject().put("name", column.name()).put("type", column.type()).put("nullable", column.nullable());
            rowProperties.set(column.name(), column(column));
            names.add(column.name());
        }
        properties.putObject("columns").set("const", columns);
        ObjectNode row = properties.putObject("rows").putObject("items");
        row.put("type", "object");
        row.set("required", names);
        row.put("additionalProperties", false);
        row.set("properties", rowProperties);
        return specific;
    }

    /** The schema of one column's values. */
    public static ObjectNode column(ExportColumn column) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("description", column.type());
        switch (column.kind()) {
            case INTEGER -> type(schema, column, "integer");
            case FLOAT -> {
                type(schema, column, "number", "string");
                schema.put("pattern", "^(NaN|-?Infinity)$");
            }
            case NUMERIC -> pattern(type(schema, column, "string"), NUMERIC);
            case BOOLEAN -> type(schema, column, "boolean");
            case TIMESTAMPTZ -> pattern(type(schema, column, "string"), TIMESTAMPTZ).put("format", "date-time");
            case TIMESTAMP -> pattern(type(schema, column, "string"), TIMESTAMP);
            case DATE -> pattern(type(schema, column, "string"), DATE).put("format", "date");
            case BYTEA -> pattern(type(schema, column, "string"), BASE64).put("contentEncoding", "base64");
            case ARRAY -> type(schema, column, "array");
            case COMPOSITE -> type(schema, column, "object");
            case TEXT -> type(schema, column, "string");
            case JSON -> {
                // any JSON value; JSON null is a value here too, so NULL and 'null'::jsonb look alike (see docs)
            }
        }
        return schema;
    }

    private static ObjectNode type(ObjectNode schema, ExportColumn column, String... types) {
        if (types.length == 1 && !column.nullable()) {
            schema.put("type", types[0]);
            return schema;
        }
        ArrayNode list = schema.putArray("type");
        for (String type : types) {
            list.add(type);
        }
        if (column.nullable()) {
            list.add("null");
        }
        return schema;
    }

    private static ObjectNode pattern(ObjectNode schema, String pattern) {
        return schema.put("pattern", pattern);
    }
}
