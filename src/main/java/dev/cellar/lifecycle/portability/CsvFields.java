package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * RFC 4180 records: fields joined by commas, records ended by CRLF, a field quoted when it holds a
 * comma, a double quote, CR or LF (or starts or ends with a space, which some spreadsheets trim), its
 * quotes doubled. NULL is an empty unquoted field; an empty text is {@code ""}, so the two stay apart.
 */
public final class CsvFields {
    public static final String RECORD_END = "\r\n";

    private CsvFields() {
    }

    public static String record(List<String> fields) {
        return fields.stream().map(CsvFields::field).collect(Collectors.joining(",")) + RECORD_END;
    }

    /** One field; null is SQL NULL. */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.isEmpty() || value.startsWith(" ") || value.endsWith(" ")
                || value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** A value of the export as CSV text: strings as they are, numbers and booleans as JSON writes them, JSON values compact. */
    public static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        try {
            return JsonValues.EXACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON value as text", e);
        }
    }
}
