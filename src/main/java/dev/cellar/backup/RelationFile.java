package dev.cellar.backup;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A relation data file's name: {@code <relfilenode>[_fork][.segno]}, inside {@code base/<db>},
 * {@code global} or a tablespace's database folder. Only these files hold checksummed pages.
 *
 * @param relfilenode the relation's file node
 * @param fork        {@code main}, {@code fsm}, {@code vm} or {@code init}
 * @param segment     segment number (0 for the first gigabyte)
 */
public record RelationFile(long relfilenode, String fork, int segment) {
    private static final Pattern NAME = Pattern.compile("([0-9]+)(?:_(fsm|vm|init))?(?:\\.([0-9]+))?");

    /** The relation file a path (relative to the data directory, '/' separated) names, or null. */
    public static RelationFile of(String relativePath) {
        String[] parts = relativePath.split("/");
        boolean inRelationFolder = (parts.length == 3 && parts[0].equals("base"))
                || (parts.length == 2 && parts[0].equals("global"))
                || (parts.length == 5 && parts[0].equals("pg_tblspc"));
        return inRelationFolder ? ofName(parts[parts.length - 1]) : null;
    }

    /** Parses a bare file name, or returns null if it is not a relation file name. */
    public static RelationFile ofName(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return null;
        }
        return new RelationFile(Long.parseLong(m.group(1)), m.group(2) == null ? "main" : m.group(2),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    public boolean isInitFork() {
        return fork.equals("init");
    }
}
