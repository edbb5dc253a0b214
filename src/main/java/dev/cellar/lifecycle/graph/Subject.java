package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/** A data subject: one row, named by its table and primary key value, as written on the command line ({@code users:42}). */
public record Subject(TableName table, String id) {

    public static Subject parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new CellarException(ErrorCode.USAGE, "'" + text + "' is not a subject",
                    "name the subject as table:id, for example users:42 or app.Customer:7");
        }
        return new Subject(TableName.parse(text.substring(0, colon)), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return table + ":" + id;
    }
}
