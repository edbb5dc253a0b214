package dev.cellar.lifecycle.graph;

/** What PostgreSQL does to the referencing rows when a referenced row is deleted (pg_constraint.confdeltype). */
public enum DeleteAction {
    NO_ACTION('a'), RESTRICT('r'), CASCADE('c'), SET_NULL('n'), SET_DEFAULT('d');

    private final char catalogCode;

    DeleteAction(char catalogCode) {
        this.catalogCode = catalogCode;
    }

    static DeleteAction ofCatalogCode(char code) {
        for (DeleteAction action : values()) {
            if (action.catalogCode == code) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown confdeltype '" + code + "'");
    }
}
