package dev.cellar.lifecycle.portability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cellar.lifecycle.TableName;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 quoting, NULL apart from the empty text, and file names that cannot collide. */
class CsvFieldsTest {

    @Test
    void plainFieldsAreNotQuoted() {
        assertThat(CsvFields.record(List.of("42", "alice@example.com", "2026-10-01T12:00:00+00:00"))).isEqualTo("42,alice@example.com,2026-10-01T12:00:00+00:00\r\n");
    }

    @Test
    void commasQuotesAndLineBreaksAreQuotedWithQuotesDoubled() {
        assertThat(CsvFields.field("Main St, 4")).isEqualTo("\"Main St, 4\"");
        assertThat(CsvFields.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvFields.field("line\nbreak")).isEqualTo("\"line\nbreak\"");
        assertThat(CsvFields.field("cr\rhere")).isEqualTo("\"cr\rhere\"");
        assertThat(CsvFields.field(" padded ")).isEqualTo("\" padded \"");
    }

    @Test
    void nullIsAnEmptyFieldAndTheEmptyTextIsQuoted() {
        assertThat(CsvFields.record(Arrays.asList("a", null, "", "b"))).isEqualTo("a,,\"\",b\r\n");
    }

    @Test
    void valuesAreWrittenAsTheirTextAndJsonCompact() {
        assertThat(CsvFields.text(NullNode.getInstance())).isNull();
        assertThat(CsvFields.text(JsonValues.toJson("12.30", ValueKind.NUMERIC))).isEqualTo("12.30");
        assertThat(CsvFields.text(JsonValues.toJson("t", ValueKind.BOOLEAN))).isEqualTo("true");
        assertThat(CsvFields.text(JsonValues.toJson("{\"a\": [1, 2]}", ValueKind.JSON))).isEqualTo("{\"a\":[1,2]}");
        assertThat(CsvFields.text(JsonValues.toJson("7", ValueKind.INTEGER))).isEqualTo("7");
    }

    @Test
    void aTableBecomesAHeaderAndOneRecordPerRow() {
        ExportedTable table = new ExportedTable(new TableName("public", "users"),
                List.of(new ExportColumn("id", "bigint", false, ValueKind.INTEGER), new ExportColumn("street", "text", true, ValueKind.TEXT)),
                List.of(List.<JsonNode>of(JsonValues.toJson("1", ValueKind.INTEGER), TextNode.valueOf("Rue \"A\", 3")),
                        List.<JsonNode>of(JsonValues.toJson("2", ValueKind.INTEGER), NullNode.getInstance())));
        assertThat(CsvExportWriter.csv(table)).isEqualTo("id,street\r\n1,\"Rue \"\"A\"\", 3\"\r\n2,\r\n");
    }

    @Test
    void fileNamesAreQualifiedSafeAndDistinctIgnoringCase() {
        List<ExportedTable> tables = List.of(empty("public", "users"), empty("Loyalty", "Card"), empty("loyalty", "card"), empty("a/b", "c:d"));
        assertThat(CsvExportWriter.fileNames(tables))
                .containsExactly("public.users.csv", "Loyalty.Card.csv", "loyalty.card-2.csv", "a_b.c_d.csv");
    }

    private static ExportedTable empty(String schema, String name) {
        return new ExportedTable(new TableName(schema, name), List.of(), List.of());
    }
}
