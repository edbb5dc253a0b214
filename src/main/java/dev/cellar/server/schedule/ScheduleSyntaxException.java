package dev.cellar.server.schedule;

/**
 * A schedule expression that cannot be read. The message says what is wrong with the text
 * alone; the configuration adds the key and line it came from.
 */
public final class ScheduleSyntaxException extends IllegalArgumentException {
    public ScheduleSyntaxException(String message) {
        super(message);
    }
}
