package dev.cellar.restore;

import dev.cellar.pg.ArchiveToc;
import dev.cellar.pg.ArchiveToc.Entry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses the archive entries that bring a set of tables back whole, by following the
 * dependencies pg_dump recorded between entries rather than guessing from names: everything that
 * depends on a table, directly or through another entry, is either <em>its own</em> (its rows,
 * owned sequences at their value, indexes, constraints, triggers, RLS switches, policies, grants
 * down to columns, comments, extended statistics, publication membership, partitions' attachment)
 * or a <em>dependent</em> built on it (views, materialized views with their indexes, foreign keys
 * and policies of other tables, triggers on those views).
 *
 * <p>A table restore drops the tables and every dependent named in the plan, then creates them
 * again from the backup, in one transaction and without CASCADE: so it checks first, against the
 * target's own table of contents, that each dependent the target has equals the backup's.
 * A dependent created or changed after the backup, or one holding rows (a table inheriting from
 * the restored one), is a conflict, and the restore is refused before anything is touched.
 */
public final class TocFilter {
    private static final Set<String> RELATIONS = Set.of("TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE");
    /** Dependents that hold no rows of their own: dropping them and creating them again from the backup loses nothing. */
    private static final Set<String> RECREATABLE = Set.of("VIEW", "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA", "INDEX", "CONSTRAINT",
            "CHECK CONSTRAINT", "FK CONSTRAINT", "TRIGGER", "POLICY", "RULE", "DEFAULT", "COMMENT", "ACL", "SECURITY LABEL",
            "STATISTICS", "PUBLICATION TABLE", "FUNCTION", "PROCEDURE", "AGGREGATE");
    /** Entries about another entry, too fine-grained to name in a summary of what was re-created. */
    private static final Set<String> ANNOTATIONS = Set.of("COMMENT", "ACL", "SECURITY LABEL", "MATERIALIZED VIEW DATA");
    /**
     * A table's own entries that point at an object outside it. When that object is missing from
     * the target they are left out and reported, so that a table can be restored into a database
     * that lacks the tables it references (or the publication it was in).
     */
    private static final Set<String> OPTIONAL_OWN = Set.of("FK CONSTRAINT", "PUBLICATION TABLE");

    private TocFilter() {
    }

    /**
     * @param backup  the backup archive's table of contents
     * @param live    the target database's, as a schema-only pg_dump shows it ({@link ArchiveToc#empty()} for a new database)
     * @param tables  "schema.table" names to restore (the caller adds the partitions of a partitioned table)
     * @param noOwner whether pg_restore runs with {@code --no-owner --no-privileges}, which would re-create
     *                dependents without their owner and grants
     * @throws IllegalArgumentException when the archive has no table of one of those names
     */
    public static TableRestorePlan plan(ArchiveToc backup, ArchiveToc live, List<String> tables, boolean noOwner) {
        List<Entry> roots = tables.stream().map(name -> table(backup, name)).toList();
        Set<Integer> backupClosure = closure(backup, roots);
        Set<Integer> own = owned(backup, roots, backupClosure);

        List<Entry> liveRoots = roots.stream().map(root -> live.byKey(root.key())).filter(Objects::nonNull).toList();
        Set<Integer> liveClosure = closure(live, liveRoots);
        Set<Integer> liveOwn = owned(live, liveRoots, liveClosure);

        Map<String, String> conflicts = new LinkedHashMap<>();
        Map<Integer, String> leftOut = new LinkedHashMap<>();
        List<String> recreated = new ArrayList<>();
        List<String> added = new ArrayList<>();
        Set<Integer> restore = new HashSet<>(own);

        // what depends on the tables in the target must come back from the backup as it is now
        for (Entry liveEntry : live.entries()) {
            if (liveClosure.contains(liveEntry.dumpId()) && !liveOwn.contains(liveEntry.dumpId())) {
                Entry inBackup = backup.byKey(liveEntry.key());
                if (inBackup == null || !backupClosure.contains(inBackup.dumpId()) || own.contains(inBackup.dumpId())) {
                    conflicts.put(liveEntry.key(), liveEntry.describe() + ": depends on the table but is not in the backup"
                            + " (created after it?), and restoring would drop it");
                }
            }
        }
        for (Entry entry : backup.entries()) {
            if (!backupClosure.contains(entry.dumpId()) || own.contains(entry.dumpId())) {
                continue;
            }
            Entry liveEntry = live.byKey(entry.key());
            if (!RECREATABLE.contains(entry.desc())) {
                if (liveEntry != null) {
                    conflicts.putIfAbsent(entry.key(), entry.describe() + ": depends on the table and holds data of its own,"
                            + " which dropping it would lose (restore it too with --table)");
                } else {
                    leftOut.put(entry.dumpId(), entry.describe() + ": depends on the table and holds data of its own"
                            + " (restore it too with --table)");
                }
                continue;
            }
            if (liveEntry == null) {
                restore.add(entry.dumpId());
            } else if (!sameDefinition(entry, liveEntry)) {
                conflicts.putIfAbsent(entry.key(), entry.describe() + ": differs in the target from the backup's definition,"
                        + " and restoring would replace it");
            } else if (noOwner) {
                conflicts.putIfAbsent(entry.key(), entry.describe() + ": would be re-created without its owner and grants"
                        + " under --no-owner");
            } else {
                restore.add(entry.dumpId());
            }
        }
        addMissingSchemas(backup, live, restore);
        leaveOutWhatCannotBeCreated(backup, live, own, restore, leftOut);
        for (Entry entry : backup.entries()) {
            if (leftOut.containsKey(entry.dumpId()) && live.byKey(entry.key()) != null) {
                conflicts.putIfAbsent(entry.key(), entry.describe() + ": would be dropped and could not be created again: "
                        + leftOut.get(entry.dumpId()));
            }
        }

        List<Entry> chosen = new ArrayList<>();
        List<Entry> tableParts = new ArrayList<>();
        List<String> foreignKeysLeftOut = new ArrayList<>();
        for (Entry entry : backup.entries()) {
            boolean dependent = backupClosure.contains(entry.dumpId()) && !own.contains(entry.dumpId());
            if (leftOut.containsKey(entry.dumpId())) {
                if (own.contains(entry.dumpId()) && "FK CONSTRAINT".equals(entry.desc())) {
                    foreignKeysLeftOut.add(entry.namespace() + "." + entry.tag());
                }
            } else if (restore.contains(entry.dumpId())) {
                chosen.add(entry);
                if (own.contains(entry.dumpId()) && !roots.contains(entry)) {
                    tableParts.add(entry);
                }
                if (dependent && !ANNOTATIONS.contains(entry.desc())) {
                    (live.byKey(entry.key()) != null ? recreated : added).add(entry.describe());
                }
            }
        }
        return new TableRestorePlan(attachLonePartitionsLast(chosen, roots), tableParts, recreated, added, List.copyOf(leftOut.values()), foreignKeysLeftOut,
                List.copyOf(conflicts.values()));
    }

    /**
     * A partition restored into a parent that stays is attached after its own indexes and
     * constraints exist: ATTACH PARTITION then adopts them, where attached first it would build
     * copies of the parent's indexes beside them (and the partition's primary key would fail as a
     * second one). Its index attachments follow and find the work done.
     */
    private static List<Entry> attachLonePartitionsLast(List<Entry> chosen, List<Entry> roots) {
        List<Entry> attachments = new ArrayList<>();
        for (Entry attach : chosen) {
            boolean parentStays = "TABLE ATTACH".equals(attach.desc())
                    && attach.dependencies().stream().anyMatch(id -> roots.stream().noneMatch(root -> root.dumpId() == id));
            if (parentStays) {
                int partition = roots.stream().filter(root -> root.tag().equals(attach.tag()) && root.namespace().equals(attach.namespace()))
                        .mapToInt(Entry::dumpId).findFirst().orElse(-1);
                attachments.add(attach);
                chosen.stream().filter(e -> "INDEX ATTACH".equals(e.desc()) && e.dependencies().contains(partition)).forEach(attachments::add);
            }
        }
        if (attachments.isEmpty()) {
            return chosen;
        }
        List<Entry> ordered = new ArrayList<>(chosen);
        ordered.removeAll(attachments);
        ordered.addAll(attachments);
        return ordered;
    }

    private static Entry table(ArchiveToc toc, String qualifiedName) {
        return toc.entries().stream()
                .filter(e -> "TABLE".equals(e.desc()) && qualifiedName.equals(e.namespace() + "." + e.tag()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the archive has no table " + qualifiedName));
    }

    /** The roots and every entry that depends on one of them, directly or through others. */
    static Set<Integer> closure(ArchiveToc toc, List<Entry> roots) {
        Map<Integer, List<Entry>> dependents = new HashMap<>();
        for (Entry e : toc.entries()) {
            for (int dependency : e.dependencies()) {
                dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(e);
            }
        }
        Set<Integer> reached = new HashSet<>();
        Deque<Entry> queue = new ArrayDeque<>(roots);
        roots.forEach(root -> reached.add(root.dumpId()));
        while (!queue.isEmpty()) {
            for (Entry dependent : dependents.getOrDefault(queue.poll().dumpId(), List.of())) {
                if (reached.add(dependent.dumpId())) {
                    queue.add(dependent);
                }
            }
        }
        return reached;
    }

    /** Of the closure, the entries that belong to a root: anchored to it, or to something that is. */
    static Set<Integer> owned(ArchiveToc toc, List<Entry> roots, Set<Integer> closure) {
        Set<Integer> own = new HashSet<>();
        roots.forEach(root -> own.add(root.dumpId()));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Entry e : toc.entries()) {
                if (closure.contains(e.dumpId()) && !own.contains(e.dumpId())
                        && anchors(toc, e).stream().anyMatch(anchor -> own.contains(anchor.dumpId()))) {
                    own.add(e.dumpId());
                    grew = true;
                }
            }
        }
        return own;
    }

    /**
     * The objects an entry is part of: a policy is part of its table, a comment of what it
     * describes, an owned sequence of its table. Empty for an object of its own (a view, a function).
     */
    static List<Entry> anchors(ArchiveToc toc, Entry e) {
        List<Entry> deps = e.dependencies().stream().map(toc::byDumpId).filter(Objects::nonNull).distinct().toList();
        return switch (e.desc()) {
            case "TABLE DATA", "ROW SECURITY", "TABLE ATTACH", "MATERIALIZED VIEW DATA", "STATISTICS DATA" ->
                    deps.stream().filter(d -> RELATIONS.contains(d.desc()) && d.namespace().equals(e.namespace())
                            && d.tag().equals(e.tag())).toList();
            case "CONSTRAINT", "FK CONSTRAINT", "CHECK CONSTRAINT", "TRIGGER", "POLICY", "RULE", "DEFAULT" ->
                    // tagged "<relation> <name>"; other tables this one reads (a policy's subquery) are dependencies too
                    deps.stream().filter(d -> RELATIONS.contains(d.desc()) && d.namespace().equals(e.namespace())
                                    && e.tag().startsWith(d.tag() + " "))
                            .max((a, b) -> Integer.compare(a.tag().length(), b.tag().length())).stream().toList();
            case "INDEX", "STATISTICS" -> deps.stream().filter(d -> RELATIONS.contains(d.desc())).limit(1).toList();
            case "INDEX ATTACH", "SEQUENCE", "PUBLICATION TABLE" -> deps.stream().filter(d -> "TABLE".equals(d.desc())).toList();
            case "SEQUENCE SET", "SEQUENCE OWNED BY" -> deps.stream().filter(d -> "SEQUENCE".equals(d.desc())).toList();
            case "COMMENT", "ACL", "SECURITY LABEL" -> deps.stream().filter(d -> !ANNOTATIONS.contains(d.desc())).limit(1).toList();
            default -> List.of();
        };
    }

    private static boolean sameDefinition(Entry a, Entry b) {
        return a.definition().equals(b.definition()) && a.owner().equals(b.owner());
    }

    /** A table restored into a database that lacks its schema brings the schema (with its grants and comment). */
    private static void addMissingSchemas(ArchiveToc backup, ArchiveToc live, Set<Integer> restore) {
        Set<Integer> schemas = new HashSet<>();
        for (Entry e : backup.entries()) {
            if (restore.contains(e.dumpId())) {
                for (int id : e.dependencies()) {
                    Entry dep = backup.byDumpId(id);
                    if (dep != null && "SCHEMA".equals(dep.desc()) && live.byKey(dep.key()) == null) {
                        schemas.add(dep.dumpId());
                    }
                }
            }
        }
        for (Entry e : backup.entries()) {
            if (schemas.contains(e.dumpId())
                    || ANNOTATIONS.contains(e.desc()) && anchors(backup, e).stream().anyMatch(a -> schemas.contains(a.dumpId()))) {
                restore.add(e.dumpId());
            }
        }
    }

    /**
     * Leaves out the dependents (and the optional own entries) that need an object neither
     * restored nor present in the target, and whatever needs those in turn. The tables' other
     * entries stay: when they cannot be created, pg_restore fails, names the missing object, and
     * the transaction leaves the target as it was.
     */
    private static void leaveOutWhatCannotBeCreated(ArchiveToc backup, ArchiveToc live, Set<Integer> own, Set<Integer> restore,
                                                    Map<Integer, String> leftOut) {
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Entry e : backup.entries()) {
                if (!restore.contains(e.dumpId()) || leftOut.containsKey(e.dumpId())
                        || own.contains(e.dumpId()) && !OPTIONAL_OWN.contains(e.desc())) {
                    continue;
                }
                for (int id : e.dependencies()) {
                    Entry dep = backup.byDumpId(id);
                    boolean available = dep == null
                            || restore.contains(id) && !leftOut.containsKey(id)
                            || !restore.contains(id) && live.byKey(dep.key()) != null;
                    if (!available) {
                        leftOut.put(e.dumpId(), e.describe() + ": needs " + dep.describe() + ", which is missing here");
                        grew = true;
                        break;
                    }
                }
            }
        }
    }
}
