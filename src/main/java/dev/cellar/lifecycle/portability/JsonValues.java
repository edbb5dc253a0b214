package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one value, as PostgreSQL prints it under the export's session settings (DateStyle ISO,
 * TimeZone UTC, bytea_output hex), into the JSON value the export holds. Pure, so every type's
 * mapping is tested without a database.
 */
public final class JsonValues {
    /** Keeps big and exact numbers inside json/jsonb values as they were written. */
    static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)(?:([+-]\\d{2})(?::(\\d{2}))?)?");

    private JsonValues() {
    }

    /** The JSON form of {@code text} (null for SQL NULL) in a column of {@code kind}. */
    public static JsonNode toJson(String text, ValueKind kind) {
        if (text == null) {
            return NullNode.getInstance();
        }
        return switch (kind) {
            case INTEGER -> integer(text);
            case FLOAT -> isFinite(text) ? DecimalNode.valueOf(new BigDecimal(text)) : TextNode.valueOf(text);
            case BOOLEAN -> BooleanNode.valueOf(text.equals("t") || text.equals("true"));
            case TIMESTAMPTZ -> TextNode.valueOf(isoTimestamp(text, true));
            case TIMESTAMP -> TextNode.valueOf(isoTimestamp(text, false));
            case JSON, ARRAY, COMPOSITE -> parse(text);
            case BYTEA -> TextNode.valueOf(base64(text));
            case NUMERIC, DATE, TEXT -> TextNode.valueOf(text);
        };
    }

    private static JsonNode integer(String text) {
        try {
            return LongNode.valueOf(Long.parseLong(text));
        } catch (NumberFormatException beyondLong) {
            // an oid above 2^63 cannot happen, but a value must never be lost to a parse error
            return JsonNodeFactory.instance.numberNode(new BigInteger(text));
        }
    }

    private static boolean isFinite(String text) {
        return !(text.equals("NaN") || text.endsWith("Infinity"));
    }

    /**
     * {@code 2026-10-01 12:30:00.5+00} becomes {@code 2026-10-01T12:30:00.5+00:00}. What ISO-8601
     * cannot write the way PostgreSQL means it (infinity, BC dates, years past 9999) stays
     * PostgreSQL's text, so that no value is changed into another one.
     */
    static String isoTimestamp(String text, boolean withOffset) {
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches() || (m.group(3) != null) != withOffset) {
            return text;
        }
        String iso = m.group(1) + "T" + m.group(2);
        if (withOffset) {
            iso += m.group(3) + ":" + (m.group(4) == null ? "00" : m.group(4));
        }
        return iso;
    }

    /** PostgreSQL's hex form {@code \x0aff} as base64. */
    static String base64(String hex) {
        if (!hex.startsWith("\\x")) {
            throw new IllegalArgumentException("bytea not in hex output form (bytea_output = hex): " + hex.substring(0, Math.min(8, hex.length())));
        }
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex, 2, hex.length()));
    }

    private static JsonNode parse(String json) {
        try {
            return EXACT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL returned JSON that does not parse: " + e.getOriginalMessage(), e);
        }
    }
}
