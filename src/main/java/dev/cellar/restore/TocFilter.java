package dev.cellar.restore;

import dev.cellar.repo.BackupManifest.TableEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses the lines of a {@code pg_restore --list} table of contents that bring back a set of
 * tables whole: definition, data, owned sequences, indexes, constraints, triggers, defaults,
 * comments and grants, the attachment of partitions (and of their indexes) to their parents, the
 * foreign keys of other (existing) tables that point at them, and the views built on them that are
 * missing from the target (a {@code DROP TABLE … CASCADE} takes them along).
 * {@code pg_restore --table} alone restores only the bare table and its rows.
 */
public final class TocFilter {
    private static final List<String> MULTI_WORD_TYPES = List.of("TABLE DATA", "TABLE ATTACH", "FK CONSTRAINT", "SEQUENCE SET",
            "SEQUENCE OWNED BY", "INDEX ATTACH", "DEFAULT ACL", "MATERIALIZED VIEW DATA", "MATERIALIZED VIEW",
            "LARGE OBJECT");

    private TocFilter() {
    }

    /** One parsed TOC line: "{@code 123; 1259 16390 TABLE public orders postgres}". */
    record Entry(String line, String type, String schema, String tag) {
    }

    /**
     * @param tocLines       output of {@code pg_restore --list}
     * @param selected       tables to restore (partitions of a selected partitioned table are added by the caller)
     * @param existingTables "schema.table" names present in the target, for foreign keys that point at the selection
     */
    public static List<String> select(List<String> tocLines, List<TableEntry> selected, Set<String> existingTables) {
        return select(tocLines, selected, existingTables, java.util.Map.of());
    }

    /**
     * As {@link #select(List, List, Set)}, leaving out the selected tables' own foreign keys whose
     * referenced table is neither restored nor present in the target: pg_restore would fail on them.
     *
     * @param foreignKeyTargets "schema.table constraint" → referenced "schema.table", for the foreign
     *                          keys the backup knows the target of
     */
    public static List<String> select(List<String> tocLines, List<TableEntry> selected, Set<String> existingTables,
                                      java.util.Map<String, String> foreignKeyTargets) {
        return select(tocLines, selected, existingTables, foreignKeyTargets, new ArrayList<>());
    }

    /** As above, and adds the foreign keys left out ("schema.table constraint") to {@code leftOut}. */
    public static List<String> select(List<String> tocLines, List<TableEntry> selected, Set<String> existingTables,
                                      java.util.Map<String, String> foreignKeyTargets, List<String> leftOut) {
        Set<String> tableKeys = new HashSet<>();
        Set<String> relationKeys = new HashSet<>();
        Set<String> incomingForeignKeys = new HashSet<>();
        Set<String> attachableIndexKeys = new HashSet<>();
        for (TableEntry t : selected) {
            tableKeys.add(t.schema() + "." + t.name());
            relationKeys.add(t.schema() + "." + t.name());
            t.indexes().forEach(i -> relationKeys.add(t.schema() + "." + i));
            // a partition's index attaches to its parent's under the index (or constraint) name
            t.constraints().forEach(c -> attachableIndexKeys.add(t.schema() + "." + c));
            t.indexes().forEach(i -> attachableIndexKeys.add(t.schema() + "." + i));
            t.sequences().forEach(s -> relationKeys.add(t.schema() + "." + s));
            // views a DROP TABLE ... CASCADE took along come back, unless they still exist
            t.dependentViews().stream().filter(view -> !existingTables.contains(view)).forEach(relationKeys::add);
            for (String reference : t.referencedBy()) {
                // "schema.table constraint"
                int space = reference.indexOf(' ');
                String table = reference.substring(0, space);
                if (existingTables.contains(table) || tableKeys.contains(table)) {
                    int dot = table.indexOf('.');
                    incomingForeignKeys.add(table.substring(0, dot) + "." + table.substring(dot + 1) + " " + reference.substring(space + 1));
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : tocLines) {
            Entry e = parse(line);
            if (e != null && "FK CONSTRAINT".equals(e.type())) {
                String referenced = foreignKeyTargets.get(e.schema() + "." + e.tag());
                if (referenced != null && !tableKeys.contains(referenced) && !existingTables.contains(referenced)
                        && wanted(e, tableKeys, relationKeys, incomingForeignKeys)) {
                    leftOut.add(e.schema() + "." + e.tag());
                    continue;
                }
            }
            if (e != null && (wanted(e, tableKeys, relationKeys, incomingForeignKeys)
                    || "INDEX ATTACH".equals(e.type()) && attachableIndexKeys.contains(e.schema() + "." + e.tag()))) {
                out.add(line);
            }
        }
        return out;
    }

    private static boolean wanted(Entry e, Set<String> tables, Set<String> relations, Set<String> incomingForeignKeys) {
        String firstWordOfTag = e.tag().contains(" ") ? e.tag().substring(0, e.tag().indexOf(' ')) : e.tag();
        return switch (e.type()) {
            case "TABLE", "TABLE DATA", "TABLE ATTACH", "INDEX", "SEQUENCE", "SEQUENCE SET", "SEQUENCE OWNED BY", "VIEW",
                 "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA" ->
                    relations.contains(e.schema() + "." + e.tag());
            case "CONSTRAINT", "TRIGGER", "DEFAULT", "CHECK CONSTRAINT", "RULE", "POLICY", "ROW SECURITY" ->
                    tables.contains(e.schema() + "." + firstWordOfTag);
            case "FK CONSTRAINT" -> tables.contains(e.schema() + "." + firstWordOfTag) || incomingForeignKeys.contains(e.schema() + "." + e.tag());
            case "COMMENT", "ACL" -> {
                // tags look like "TABLE orders", "COLUMN orders.total", "SEQUENCE orders_id_seq"
                String rest = e.tag().contains(" ") ? e.tag().substring(e.tag().indexOf(' ') + 1) : "";
                String object = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
                yield relations.contains(e.schema() + "." + object);
            }
            default -> false;
        };
    }

    static Entry parse(String line) {
        if (line.isBlank() || line.startsWith(";")) {
            return null;
        }
        int semicolon = line.indexOf("; ");
        if (semicolon < 0) {
            return null;
        }
        String[] ids = line.substring(semicolon + 2).split(" ", 3);
        if (ids.length < 3) {
            return null;
        }
        String rest = ids[2];
        String type = null;
        for (String candidate : MULTI_WORD_TYPES) {
            if (rest.startsWith(candidate + " ")) {
                type = candidate;
                break;
            }
        }
        if (type == null) {
            type = rest.substring(0, Math.max(0, rest.indexOf(' ')));
        }
        String afterType = rest.substring(type.length()).trim();
        int lastSpace = afterType.lastIndexOf(' ');
        if (lastSpace < 0) {
            return null;
        }
        String withoutOwner = afterType.substring(0, lastSpace);
        int schemaEnd = withoutOwner.indexOf(' ');
        if (schemaEnd < 0) {
            return null;
        }
        return new Entry(line, type, withoutOwner.substring(0, schemaEnd), withoutOwner.substring(schemaEnd + 1));
    }
}
