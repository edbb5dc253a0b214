package dev.cellar.drill.check;

/**
 * A typical query of the application, timed on the restored copy and on the source.
 *
 * @param line the line of the check set file where it is defined, for messages
 */
public record TimedQuery(String name, String description, String sql, int line) {
}
