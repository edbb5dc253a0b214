package dev.cellar.lifecycle.portability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cellar.lifecycle.TableName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-export JSON Schema, checked by an independent validator: a document of every kind of
 * column validates against it and against the generic schema it is built on, and documents broken
 * in the ways a careless writer would break them do not.
 */
class ExportSchemaTest {
    private static final List<ExportColumn> COLUMNS = List.of(
            new ExportColumn("id", "bigint", false, ValueKind.INTEGER),
            new ExportColumn("ratio", "double precision", true, ValueKind.FLOAT),
            new ExportColumn("amount", "numeric(12,2)", false, ValueKind.NUMERIC),
            new ExportColumn("active", "boolean", false, ValueKind.BOOLEAN),
            new ExportColumn("paid_at", "timestamp with time zone", false, ValueKind.TIMESTAMPTZ),
            new ExportColumn("local_at", "timestamp without time zone", true, ValueKind.TIMESTAMP),
            new ExportColumn("born_on", "date", true, ValueKind.DATE),
            new ExportColumn("options", "jsonb", false, ValueKind.JSON),
            new ExportColumn("photo", "bytea", true, ValueKind.BYTEA),
            new ExportColumn("tags", "text[]", true, ValueKind.ARRAY),
            new ExportColumn("address", "address", true, ValueKind.COMPOSITE),
            new ExportColumn("ip", "inet", true, ValueKind.TEXT));

    @Test
    void documentOfEveryKindValidatesAgainstItsOwnAndTheGenericSchema() {
        PortabilityExport export = export(List.of(row("1", "0.5", "12.30", "t", "2026-10-01 12:00:00+00", "2026-10-01 12:00:00", "1990-05-04",
                "{\"size\": \"L\"}", "\\x00ff", "[\"a\"]", "{\"city\": \"Lyon\"}", "10.0.0.1"),
                row("2", "NaN", "0.00", "f", "infinity", null, null, "null", null, null, null, null)));
        ObjectNode document = ExportDocument.of(export);
        assertThat(errors(ExportSchema.of(export), document)).isEmpty();
        assertThat(errors(ExportSchema.generic(), document)).isEmpty();
        assertThat(document.at("/tables/public.users/rows/0/amount").textValue()).isEqualTo("12.30");
        assertThat(document.at("/tables/public.users/rows/0/photo").textValue()).isEqualTo("AP8=");
        assertThat(document.at("/tables/Loyalty.Card/rows")).isEmpty();
    }

    @Test
    void brokenDocumentsFailValidation() {
        PortabilityExport export = export(List.of(row("1", "0.5", "12.30", "t", "2026-10-01 12:00:00+00", null, null, "{}", null, null, null, null)));
        ObjectNode schema = ExportSchema.of(export);

        ObjectNode amountAsNumber = ExportDocument.of(export);
        ((ObjectNode) amountAsNumber.at("/tables/public.users/rows/0")).put("amount", 12.3);
        assertThat(errors(schema, amountAsNumber)).isNotEmpty();

        ObjectNode postgresTimestamp = ExportDocument.of(export);
        ((ObjectNode) postgresTimestamp.at("/tables/public.users/rows/0")).put("paid_at", "2026-10-01 12:00:00+00");
        assertThat(errors(schema, postgresTimestamp)).isNotEmpty();

        ObjectNode missingColumn = ExportDocument.of(export);
        ((ObjectNode) missingColumn.at("/tables/public.users/rows/0")).remove("ip");
        assertThat(errors(schema, missingColumn)).isNotEmpty();

        ObjectNode nullInNotNull = ExportDocument.of(export);
        ((ObjectNode) nullInNotNull.at("/tables/public.users/rows/0")).putNull("id");
        assertThat(errors(schema, nullInNotNull)).isNotEmpty();

        ObjectNode missingTable = ExportDocument.of(export);
        ((ObjectNode) missingTable.get("tables")).remove("Loyalty.Card");
        assertThat(errors(schema, missingTable)).isNotEmpty();

        ObjectNode extraTable = ExportDocument.of(export);
        ((ObjectNode) extraTable.get("tables")).set("public.secrets", extraTable.at("/tables/Loyalty.Card"));
        assertThat(errors(schema, extraTable)).isNotEmpty();
        // the generic schema knows no tables, so only the per-export one catches this
        assertThat(errors(ExportSchema.generic(), extraTable)).isEmpty();

        ObjectNode wrongFormat = ExportDocument.of(export);
        wrongFormat.put("format", "something-else/1");
        assertThat(errors(ExportSchema.generic(), wrongFormat)).isNotEmpty();
    }

    @Test
    void columnSchemasFollowTheKindAndNullability() {
        assertThat(ExportSchema.column(COLUMNS.get(0)).get("type").textValue()).isEqualTo("integer");
        assertThat(ExportSchema.column(COLUMNS.get(2)).get("pattern").textValue()).contains("[0-9]+");
        assertThat(ExportSchema.column(COLUMNS.get(5)).get("type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(ExportSchema.column(COLUMNS.get(1)).get("type").toString()).isEqualTo("[\"number\",\"string\",\"null\"]");
        assertThat(ExportSchema.column(COLUMNS.get(4)).get("description").textValue()).isEqualTo("timestamp with time zone");
    }

    private static List<JsonNode> row(String... texts) {
        List<String> values = Arrays.asList(texts);
        return java.util.stream.IntStream.range(0, COLUMNS.size()).mapToObj(i -> JsonValues.toJson(values.get(i), COLUMNS.get(i).kind())).toList();
    }

    private static PortabilityExport export(List<List<JsonNode>> rows) {
        return new PortabilityExport("users:1", "1", "restaurant_ordering on 127.0.0.1:5432", Instant.parse("2026-11-02T03:04:05Z"),
                "restaurant_ordering (shipped)", List.of(
                new ExportedTable(new TableName("Loyalty", "Card"), List.of(new ExportColumn("id", "bigint", false, ValueKind.INTEGER)), List.of()),
                new ExportedTable(new TableName("public", "users"), COLUMNS, rows)));
    }

    /** Validated as text, the way a recipient's tool would read the two files. */
    static List<Error> errors(ObjectNode schema, ObjectNode document) {
        Schema compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(new String(PortabilityExportService.pretty(schema), StandardCharsets.UTF_8), InputFormat.JSON);
        return compiled.validate(new String(PortabilityExportService.pretty(document), StandardCharsets.UTF_8), InputFormat.JSON);
    }
}
