package dev.cellar.drill.check;

/**
 * A rule the data must obey, as an SQL query that finds the rows breaking it: "payments of an
 * order never exceed its total" is the query listing the orders whose payments do.
 *
 * @param name        short kebab-case name, the subject of its {@link CheckResult}
 * @param description the rule in words, quoted in a failure
 * @param sql         the query; with {@link Returns#ROWS} each row is one offender whose first column is its key,
 *                    with {@link Returns#VERDICT} one row of one column, false or 0 when the rule holds
 * @param returns     how to read the query's result
 * @param line        the line of the check set file where it is defined, for messages
 */
public record Invariant(String name, String description, String sql, Returns returns, int line) {

    public enum Returns { ROWS, VERDICT }
}
