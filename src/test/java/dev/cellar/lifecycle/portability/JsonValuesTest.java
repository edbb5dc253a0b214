package dev.cellar.lifecycle.portability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Each PostgreSQL type's text form becomes the JSON value docs/gdpr.md (portability export) promises, and no value is changed into another. */
class JsonValuesTest {

    @Test
    void kindFollowsTheBaseTypeWithArraysAndRowsApart() {
        assertThat(ValueKind.of("int8", 'N', 'b')).isEqualTo(ValueKind.INTEGER);
        assertThat(ValueKind.of("int2", 'N', 'b')).isEqualTo(ValueKind.INTEGER);
        assertThat(ValueKind.of("numeric", 'N', 'b')).isEqualTo(ValueKind.NUMERIC);
        assertThat(ValueKind.of("float8", 'N', 'b')).isEqualTo(ValueKind.FLOAT);
        assertThat(ValueKind.of("timestamptz", 'D', 'b')).isEqualTo(ValueKind.TIMESTAMPTZ);
        assertThat(ValueKind.of("jsonb", 'U', 'b')).isEqualTo(ValueKind.JSON);
        assertThat(ValueKind.of("_int4", 'A', 'b')).isEqualTo(ValueKind.ARRAY);
        assertThat(ValueKind.of("address", 'C', 'c')).isEqualTo(ValueKind.COMPOSITE);
        assertThat(ValueKind.of("order_status", 'E', 'e')).isEqualTo(ValueKind.TEXT);
        assertThat(ValueKind.of("inet", 'I', 'b')).isEqualTo(ValueKind.TEXT);
        assertThat(ValueKind.of("uuid", 'U', 'b')).isEqualTo(ValueKind.TEXT);
    }

    @Test
    void integersAreJsonIntegersEvenBeyondDoublePrecision() {
        JsonNode big = JsonValues.toJson("9007199254740993", ValueKind.INTEGER);
        assertThat(big.isIntegralNumber()).isTrue();
        assertThat(big.asLong()).isEqualTo(9007199254740993L);
        assertThat(JsonValues.toJson("-32768", ValueKind.INTEGER).asInt()).isEqualTo(-32768);
    }

    @Test
    void numericStaysAnExactDecimalString() {
        assertThat(JsonValues.toJson("12.30", ValueKind.NUMERIC).textValue()).isEqualTo("12.30");
        assertThat(JsonValues.toJson("0.10", ValueKind.NUMERIC).isTextual()).isTrue();
        assertThat(JsonValues.toJson("NaN", ValueKind.NUMERIC).textValue()).isEqualTo("NaN");
    }

    @Test
    void floatsAreNumbersExceptWhatJsonCannotHold() {
        assertThat(JsonValues.toJson("0.1", ValueKind.FLOAT).decimalValue()).isEqualByComparingTo(new BigDecimal("0.1"));
        assertThat(JsonValues.toJson("1e+30", ValueKind.FLOAT).isNumber()).isTrue();
        assertThat(JsonValues.toJson("NaN", ValueKind.FLOAT).textValue()).isEqualTo("NaN");
        assertThat(JsonValues.toJson("-Infinity", ValueKind.FLOAT).textValue()).isEqualTo("-Infinity");
    }

    @Test
    void booleansFromEitherTextForm() {
        assertThat(JsonValues.toJson("t", ValueKind.BOOLEAN).booleanValue()).isTrue();
        assertThat(JsonValues.toJson("true", ValueKind.BOOLEAN).booleanValue()).isTrue();
        assertThat(JsonValues.toJson("false", ValueKind.BOOLEAN).booleanValue()).isFalse();
        assertThat(JsonValues.toJson("f", ValueKind.BOOLEAN).isBoolean()).isTrue();
    }

    @Test
    void timestampsBecomeIso8601WithTheirOffset() {
        assertThat(JsonValues.toJson("2026-10-01 12:30:00+00", ValueKind.TIMESTAMPTZ).textValue()).isEqualTo("2026-10-01T12:30:00+00:00");
        assertThat(JsonValues.toJson("2026-10-01 12:30:00.123456+05:30", ValueKind.TIMESTAMPTZ).textValue())
                .isEqualTo("2026-10-01T12:30:00.123456+05:30");
        assertThat(JsonValues.toJson("2026-10-01 12:30:00.5", ValueKind.TIMESTAMP).textValue()).isEqualTo("2026-10-01T12:30:00.5");
        assertThat(JsonValues.toJson("2026-10-01", ValueKind.DATE).textValue()).isEqualTo("2026-10-01");
    }

    @Test
    void timestampsIso8601CannotWriteKeepPostgresText() {
        assertThat(JsonValues.toJson("infinity", ValueKind.TIMESTAMPTZ).textValue()).isEqualTo("infinity");
        assertThat(JsonValues.toJson("0044-03-15 12:00:00+00 BC", ValueKind.TIMESTAMPTZ).textValue()).isEqualTo("0044-03-15 12:00:00+00 BC");
        assertThat(JsonValues.toJson("12026-01-01 00:00:00+00", ValueKind.TIMESTAMPTZ).textValue()).isEqualTo("12026-01-01 00:00:00+00");
    }

    @Test
    void jsonbIsEmbeddedAsJsonWithExactNumbers() {
        JsonNode value = JsonValues.toJson("{\"size\": \"large\", \"price\": 0.10, \"n\": 123456789012345678901}", ValueKind.JSON);
        assertThat(value.get("size").textValue()).isEqualTo("large");
        assertThat(value.get("price").decimalValue()).isEqualTo(new BigDecimal("0.10"));
        assertThat(value.get("n").bigIntegerValue().toString()).isEqualTo("123456789012345678901");
        assertThat(JsonValues.toJson("null", ValueKind.JSON).isNull()).isTrue();
    }

    @Test
    void byteaHexBecomesBase64() {
        assertThat(JsonValues.toJson("\\x48656c6c6f", ValueKind.BYTEA).textValue()).isEqualTo("SGVsbG8=");
        assertThat(JsonValues.toJson("\\x", ValueKind.BYTEA).textValue()).isEmpty();
        assertThatThrownBy(() -> JsonValues.toJson("Hello", ValueKind.BYTEA)).hasMessageContaining("bytea_output = hex");
    }

    @Test
    void inetUuidEnumsAndTextStayStrings() {
        assertThat(JsonValues.toJson("192.168.0.1", ValueKind.TEXT).textValue()).isEqualTo("192.168.0.1");
        assertThat(JsonValues.toJson("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", ValueKind.TEXT).isTextual()).isTrue();
        assertThat(JsonValues.toJson("", ValueKind.TEXT).textValue()).isEmpty();
    }

    @Test
    void arraysAndRowsComeFromToJsonb() {
        assertThat(JsonValues.toJson("[1, 2, null]", ValueKind.ARRAY).size()).isEqualTo(3);
        assertThat(JsonValues.toJson("{\"street\": \"Main\"}", ValueKind.COMPOSITE).get("street").textValue()).isEqualTo("Main");
    }

    @Test
    void sqlNullIsJsonNullForEveryKind() {
        for (ValueKind kind : ValueKind.values()) {
            assertThat(JsonValues.toJson(null, kind).isNull()).as(kind.name()).isTrue();
        }
    }
}
