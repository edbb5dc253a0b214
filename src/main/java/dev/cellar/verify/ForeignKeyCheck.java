package dev.cellar.verify;

/**
 * One foreign key of a restored database and how many rows break it. pg_restore adds foreign
 * keys after the data, so a restore that lost or duplicated rows can leave orphans behind a
 * constraint that PostgreSQL believes holds.
 *
 * @param table           the referencing table, "schema.name"
 * @param referencedTable the referenced table, "schema.name"
 * @param orphans         referencing rows with every key column set and no matching referenced row
 */
public record ForeignKeyCheck(String constraint, String table, String referencedTable, long orphans) {

    public boolean ok() {
        return orphans == 0;
    }
}
