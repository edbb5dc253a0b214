package dev.cellar.lifecycle.erasure;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The value erasure writes in place of a personal-data column, as a SQL expression with its
 * parameters. Deterministic (from the subject's keyed hash), so re-applying an erasure after a
 * restore writes the same values; type-aware: text becomes {@code erased-<12 hex>}, an e-mail
 * column {@code erased-<12 hex>@erased.invalid} (RFC 2606 reserves .invalid), JSON an object
 * saying it was erased. A unique column in a table where the subject has several rows gets the
 * row's key appended, so unique columns stay unique.
 */
public final class Pseudonym {
    public static final String PREFIX = "erased-";
    public static final String EMAIL_DOMAIN = "@erased.invalid";

    private Pseudonym() {
    }

    /** A SQL expression and the values of its {@code ?}, in order. */
    public record Expression(String sql, List<String> parameters) {
        public Expression {
            parameters = List.copyOf(parameters);
        }
    }

    /** The 12 hex digits that stand for the subject in its pseudonyms. */
    public static String tag(String subjectHash) {
        return subjectHash.substring(0, 12);
    }

    /** The plain text pseudonym of a subject, as written into a string column that is not e-mail-like. */
    public static String text(String subjectHash) {
        return PREFIX + tag(subjectHash);
    }

    public static String email(String subjectHash) {
        return text(subjectHash) + EMAIL_DOMAIN;
    }

    /**
     * @param rowKeyText a SQL expression giving the row's key as text, appended when the column is unique
     *                   and the subject may have several rows in the table; null for the subject's own row
     */
    public static Expression of(String table, ColumnFacts column, String subjectHash, String rowKeyText) {
        if (column.isString()) {
            boolean perRow = column.unique() && rowKeyText != null;
            List<String> parameters = new ArrayList<>();
            String sql;
            if (perRow) {
                parameters.add(text(subjectHash) + "-");
                sql = "? || " + rowKeyText + (column.emailLike() ? " || ?" : "");
                if (column.emailLike()) {
                    parameters.add(EMAIL_DOMAIN);
                }
            } else {
                parameters.add(column.emailLike() ? email(subjectHash) : text(subjectHash));
                sql = "?";
            }
            if (column.maxLength() != null) {
                sql = "left(" + sql + ", " + column.maxLength() + ")";
            }
            return new Expression("CAST(" + sql + " AS " + column.type() + ")", parameters);
        }
        if (column.isJson()) {
            return new Expression("CAST(? AS " + column.type() + ")", List.of("{\"erased\": \"" + text(subjectHash) + "\"}"));
        }
        if (column.nullable()) {
            return new Expression("NULL", List.of());
        }
        throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot pseudonymise column " + column.column()
                + " of " + table + ": its type " + column.type() + " has no pseudonym and it is NOT NULL",
                "in the data policy, delete the row or keep the column (docs/gdpr.md, pseudonyms)");
    }
}
