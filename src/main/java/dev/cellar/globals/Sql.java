package dev.cellar.globals;

import dev.cellar.pg.SnapshotSession;

/** Quoting for the statements Cellar writes itself (sessions run with standard_conforming_strings on). */
public final class Sql {

    private Sql() {
    }

    /** A quoted identifier: any role, database or setting name, whatever its case or characters. */
    public static String identifier(String name) {
        return SnapshotSession.quoteIdentifier(name);
    }

    /** A string literal; backslashes are plain characters under standard_conforming_strings. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
