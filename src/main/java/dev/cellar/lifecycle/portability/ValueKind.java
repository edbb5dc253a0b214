package dev.cellar.lifecycle.portability;

/**
 * How a column's values are written into the export, decided by the column's PostgreSQL base
 * type (a domain counts as the type it is built on). docs/gdpr.md (portability export) lists the mapping.
 */
public enum ValueKind {
    /** smallint, integer, bigint, oid: JSON integers (a bigint fits a JSON number exactly when read as text). */
    INTEGER,
    /** real, double precision: JSON numbers; NaN and ±Infinity, which JSON cannot hold, as strings. */
    FLOAT,
    /** numeric: an exact decimal string, because most JSON readers turn numbers into binary floats (0.1 + 0.2). */
    NUMERIC,
    BOOLEAN,
    /** timestamptz: ISO-8601 with offset, in UTC. */
    TIMESTAMPTZ,
    /** timestamp without time zone: ISO-8601 local date-time, no offset (the database never had one). */
    TIMESTAMP,
    DATE,
    /** json, jsonb: the JSON value itself. */
    JSON,
    /** bytea: base64 (RFC 4648, with padding). */
    BYTEA,
    /** arrays: as PostgreSQL's to_jsonb writes them. */
    ARRAY,
    /** composite (row) types: as PostgreSQL's to_jsonb writes them. */
    COMPOSITE,
    /** everything else (text, varchar, char, uuid, inet, enums, intervals, ranges, money...): PostgreSQL's text form. */
    TEXT;

    /**
     * @param baseType     pg_type.typname of the base type ({@code int8}, {@code timestamptz})
     * @param typeCategory pg_type.typcategory ('A' for arrays)
     * @param typeType     pg_type.typtype ('c' for composite types)
     */
    public static ValueKind of(String baseType, char typeCategory, char typeType) {
        if (typeCategory == 'A') {
            return ARRAY;
        }
        if (typeType == 'c') {
            return COMPOSITE;
        }
        return switch (baseType) {
            case "int2", "int4", "int8", "oid" -> INTEGER;
            case "float4", "float8" -> FLOAT;
            case "numeric" -> NUMERIC;
            case "bool" -> BOOLEAN;
            case "timestamptz" -> TIMESTAMPTZ;
            case "timestamp" -> TIMESTAMP;
            case "date" -> DATE;
            case "json", "jsonb" -> JSON;
            case "bytea" -> BYTEA;
            default -> TEXT;
        };
    }

    /** Read through to_jsonb rather than as text: PostgreSQL's array and row text forms are not worth re-parsing. */
    boolean readAsJson() {
        return this == ARRAY || this == COMPOSITE;
    }
}
