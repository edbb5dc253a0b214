package dev.cellar.drill.check;

/**
 * One query of the performance set timed on the restored copy and on the source: a restored
 * copy that answers ten times slower (missing index, no statistics) is not ready for the application.
 *
 * @param sourceMillis   median time on the source, or -1 when the source could not be reached
 * @param restoredMillis median time on the restored copy
 * @param ratio          restored / source, or NaN without a source figure
 */
public record QueryTiming(String name, double sourceMillis, double restoredMillis, double ratio) {
}
