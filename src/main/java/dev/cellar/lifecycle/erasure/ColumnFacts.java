package dev.cellar.lifecycle.erasure;

/**
 * What pseudonymising a column must respect, read from the catalog.
 *
 * @param type       the column's type as PostgreSQL writes it ({@code character varying(40)})
 * @param category   pg_type.typcategory: {@code S} for strings
 * @param nullable   false for NOT NULL
 * @param maxLength  the length limit of a varchar/char column, or null
 * @param unique     a one-column unique index or constraint covers it
 * @param emailLike  named like an e-mail address, or a CHECK on it asks for an {@code @}
 */
public record ColumnFacts(String column, String type, char category, boolean nullable, Integer maxLength, boolean unique,
                          boolean emailLike) {

    public boolean isString() {
        return category == 'S';
    }

    public boolean isJson() {
        return type.equals("json") || type.equals("jsonb");
    }
}
