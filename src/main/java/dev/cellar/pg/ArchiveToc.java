package dev.cellar.pg;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of contents of a pg_dump custom-format archive, read with what {@code pg_restore
 * --list} leaves out: each entry's SQL and the entries it depends on. A table restore needs both,
 * to find everything that hangs off a table (its policies, the indexes of a materialized view
 * built on it) and to tell whether a live object still matches the backup's.
 *
 * <p>Reads archive versions 1.12 to 1.16 (pg_dump of PostgreSQL 11 to 17 and later releases that
 * keep 1.16); only the header and the table of contents are read, never the data.
 */
public final class ArchiveToc {

    private final List<Entry> entries;
    private final Map<Integer, Entry> byDumpId = new HashMap<>();
    private final Map<String, Entry> byKey = new HashMap<>();
    /** The archive read, and where each entry's drop statement lies in it: {position, length}. */
    private final Path source;
    private final Map<Integer, long[]> dropStatements;

    /**
     * One archive entry.
     *
     * @param dumpId       the number pg_restore's list files select entries by
     * @param desc         its kind as pg_dump names it: "TABLE", "ROW SECURITY", "FK CONSTRAINT", …
     * @param namespace    schema, or "" for objects outside schemas
     * @param tag          its name; for sub-objects the relation's name and then theirs ("orders orders_pkey")
     * @param definition   the SQL that creates it
     * @param dependencies dump ids of the entries it needs
     */
    public record Entry(int dumpId, String catalogTable, String catalogOid, String desc, String namespace, String tag, String owner,
                        String definition, List<Integer> dependencies) {

        /** What names the same object in two archives (dump ids and OIDs differ between them). */
        public String key() {
            return desc + "|" + namespace + "|" + tag;
        }

        /** The line {@code pg_restore --list} prints for it; its leading number is what a list file selects. */
        public String listLine() {
            return dumpId + "; " + catalogTable + " " + catalogOid + " " + desc + " " + (namespace.isEmpty() ? "-" : namespace) + " "
                    + tag + " " + owner;
        }

        /** For messages: "VIEW reporting.overdrawn", "ACL on TABLE overdrawn in schema reporting". */
        public String describe() {
            return switch (desc) {
                case "COMMENT", "ACL", "SECURITY LABEL" -> desc + " on " + tag + (namespace.isEmpty() ? "" : " in schema " + namespace);
                default -> desc + " " + (namespace.isEmpty() ? "" : namespace + ".") + tag;
            };
        }
    }

    public ArchiveToc(List<Entry> entries) {
        this(entries, null, Map.of());
    }

    private ArchiveToc(List<Entry> entries, Path source, Map<Integer, long[]> dropStatements) {
        this.entries = List.copyOf(entries);
        this.source = source;
        this.dropStatements = dropStatements;
        for (Entry e : this.entries) {
            byDumpId.put(e.dumpId(), e);
            byKey.putIfAbsent(e.key(), e);
        }
    }

    /** An archive of nothing: the table of contents of a database that does not exist yet. */
    public static ArchiveToc empty() {
        return new ArchiveToc(List.of());
    }

    /** Entries in archive order, which is the order pg_restore creates them in. */
    public List<Entry> entries() {
        return entries;
    }

    public Entry byDumpId(int dumpId) {
        return byDumpId.get(dumpId);
    }

    /** The entry that names the same object as {@code key} ({@link Entry#key()}), or null. */
    public Entry byKey(String key) {
        return byKey.get(key);
    }

    /**
     * @throws UnsupportedArchiveException for a file that is not a custom-format archive of a version this reader knows
     */
    public static ArchiveToc read(Path archive) throws IOException {
        try (ArchiveFields in = new ArchiveFields(Files.newInputStream(archive))) {
            ArchiveFields.Header header;
            try {
                header = in.header();
            } catch (ArchiveFields.UnknownFormatException e) {
                throw new UnsupportedArchiveException(archive + " " + e.getMessage());
            }
            int minor = header.minor();
            int offsetSize = header.offsetSize();
            int count = in.readInt();
            List<Entry> entries = new ArrayList<>(count);
            Map<Integer, long[]> dropStatements = new HashMap<>();
            for (int i = 0; i < count; i++) {
                int dumpId = in.readInt();
                in.readInt();               // has data dumper
                String catalogTable = in.string();
                String catalogOid = in.string();
                String tag = in.string();
                String desc = in.string();
                in.readInt();               // section
                String definition = in.string();
                long dropStatementAt = in.position() + 1 + in.intSize;
                String dropStatement = in.string();
                if (dropStatement != null) {
                    dropStatements.put(dumpId, new long[] {dropStatementAt, dropStatement.getBytes(StandardCharsets.UTF_8).length});
                }
                in.string();                // copy statement
                String namespace = in.string();
                in.string();                // tablespace
                if (minor >= 14) {
                    in.string();            // table access method
                }
                if (minor >= 16) {
                    in.readInt();           // relkind
                }
                String owner = in.string();
                in.string();                // "false" (with oids)
                List<Integer> dependencies = new ArrayList<>();
                for (String dependency = in.string(); dependency != null; dependency = in.string()) {
                    dependencies.add(Integer.parseInt(dependency));
                }
                in.bytes(1 + offsetSize);   // data offset
                entries.add(new Entry(dumpId, nullToEmpty(catalogTable), nullToEmpty(catalogOid), nullToEmpty(desc),
                        nullToEmpty(namespace), nullToEmpty(tag), nullToEmpty(owner), nullToEmpty(definition),
                        Collections.unmodifiableList(dependencies)));
            }
            return new ArchiveToc(entries, archive, dropStatements);
        } catch (EOFException e) {
            throw new UnsupportedArchiveException(archive + " ends inside its table of contents");
        }
    }

    /**
     * Turns the drop statements of these entries into comments of the same length, in the archive
     * this was read from. {@code pg_restore --clean} drops every entry it restores before it
     * creates them, and prints a drop statement that is a comment as it is; for the parts of a
     * table that is dropped anyway (the index or primary key of a partition, attached to its
     * parent's, which cannot be dropped on its own) that is the way to leave them to the table's
     * own DROP. Lengths stay the same, so the data offsets in the archive stay right.
     */
    public void commentOutDropStatements(Collection<Entry> entries) throws IOException {
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
            for (Entry entry : entries) {
                long[] at = dropStatements.get(entry.dumpId());
                if (at == null || at[1] < 3) {
                    continue;
                }
                byte[] comment = new byte[(int) at[1]];
                Arrays.fill(comment, (byte) ' ');
                comment[0] = '-';
                comment[1] = '-';
                comment[comment.length - 1] = '\n';
                channel.write(ByteBuffer.wrap(comment), at[0]);
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The archive cannot be read as a table of contents. */
    public static final class UnsupportedArchiveException extends IOException {
        public UnsupportedArchiveException(String message) {
            super(message);
        }
    }
}
