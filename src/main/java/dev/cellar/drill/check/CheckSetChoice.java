package dev.cellar.drill.check;

import java.nio.file.Path;

/**
 * Which check set applies to a database: the configured file ({@code drill.checks}) replaces
 * everything shipped; without one, the set Cellar ships for that database name, if any.
 */
public final class CheckSetChoice {

    private CheckSetChoice() {
    }

    /** @param configured the {@code drill.checks} file, or null */
    public static CheckSet of(Path configured, String database) {
        if (configured != null) {
            return CheckSetParser.parse(configured);
        }
        return CheckSetParser.shipped(database).orElseGet(() -> CheckSet.none("no check set is shipped for database " + database));
    }
}
