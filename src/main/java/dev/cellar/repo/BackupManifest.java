package dev.cellar.repo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cellar.storage.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything a restore needs to know about one finished backup. It is written last, after all
 * its chunks, so its presence is what makes a backup exist.
 *
 * @param auditSequence the audit record that opened this backup, which lets {@code cellar audit}
 *                      notice records removed from the end of the log
 * @param physical      for a physical backup, its files and WAL positions; null for a logical one
 * @param retention     the WORM lock its objects were written under, or null when it is not
 *                      locked (and in manifests written before WORM existed): expire plans with
 *                      it without asking the storage, verify compares it with the storage
 * @param globals       for a logical backup, the cluster-wide objects it needs (roles, memberships,
 *                      tablespaces, database settings) and where the cluster's globals are stored;
 *                      null for a physical backup and in logical backups taken before Cellar stored them
 */
public record BackupManifest(
        String id,
        String kind,
        Instant startedAt,
        Instant finishedAt,
        String database,
        String serverVersion,
        String toolVersion,
        String source,
        String createdBy,
        List<StreamEntry> streams,
        List<TableEntry> tables,
        long storedBytes,
        long auditSequence,
        @JsonProperty("physical") PhysicalInfo physical,
        Retention retention,
        GlobalsEntry globals) {

    public static final String KIND_LOGICAL = "logical";
    public static final String KIND_PHYSICAL = "physical";

    public BackupManifest {
        streams = streams == null ? List.of() : streams;
        tables = tables == null ? List.of() : tables;
    }

    /** A backup without globals (a physical one, or one written before Cellar stored globals). */
    public BackupManifest(String id, String kind, Instant startedAt, Instant finishedAt, String database, String serverVersion,
                          String toolVersion, String source, String createdBy, List<StreamEntry> streams, List<TableEntry> tables,
                          long storedBytes, long auditSequence, PhysicalInfo physical, Retention retention) {
        this(id, kind, startedAt, finishedAt, database, serverVersion, toolVersion, source, createdBy, streams, tables, storedBytes,
                auditSequence, physical, retention, null);
    }

    /** An unlocked backup. */
    public BackupManifest(String id, String kind, Instant startedAt, Instant finishedAt, String database, String serverVersion,
                          String toolVersion, String source, String createdBy, List<StreamEntry> streams, List<TableEntry> tables,
                          long storedBytes, long auditSequence, PhysicalInfo physical) {
        this(id, kind, startedAt, finishedAt, database, serverVersion, toolVersion, source, createdBy, streams, tables, storedBytes,
                auditSequence, physical, null);
    }

    /** The same backup, committed under {@code lock} (null: unlocked). */
    public BackupManifest lockedBy(Retention lock) {
        return new BackupManifest(id, kind, startedAt, finishedAt, database, serverVersion, toolVersion, source, createdBy, streams,
                tables, storedBytes, auditSequence, physical, lock, globals);
    }

    /** The same backup, referring to the globals it was taken with. */
    public BackupManifest withGlobals(GlobalsEntry entry) {
        return new BackupManifest(id, kind, startedAt, finishedAt, database, serverVersion, toolVersion, source, createdBy, streams,
                tables, storedBytes, auditSequence, physical, retention, entry);
    }

    /** Whether the backup is under WORM retention at {@code now}: it cannot be deleted yet. */
    public boolean lockedAt(Instant now) {
        return retention != null && retention.activeAt(now);
    }

    /** One byte stream of the backup (for a logical backup: the pg_dump archive). */
    public record StreamEntry(String name, String format, long size, List<ChunkRef> chunks) {
        public StreamEntry {
            // absent when read for a listing (ManifestStore.loadWithoutChunks)
            chunks = chunks == null ? List.of() : chunks;
        }
    }

    /**
     * Where a logical backup's cluster-wide objects are.
     *
     * @param stream   the cluster's globals ({@code pg_dumpall --globals-only} and the list of its
     *                 databases), stored as an encrypted stream like the dump; every backup of one
     *                 {@code backup logical --all} run refers to the same chunks
     * @param run      the id of the {@code backup logical --all} run the backup belongs to, or null
     *                 for a backup of one database
     * @param database      what this database needs from the cluster, read on the dump's own snapshot
     * @param rolePasswords false when the globals were taken without role passwords (the backup
     *                      role could not read {@code pg_authid})
     */
    public record GlobalsEntry(StreamEntry stream, String run, DatabaseGlobals database, boolean rolePasswords) {
    }

    /**
     * A table as it was in the backup's snapshot, with what a single-table restore must bring
     * back with it.
     *
     * @param partitioned true for a partitioned table, whose row count covers all its partitions
     * @param partitionOf the parent table ("schema.name") for a partition, else null
     * @param indexes     names of indexes on the table that are not constraints
     * @param constraints names of the table's own constraints (primary key, unique, check, foreign keys)
     * @param triggers    names of the table's user triggers
     * @param sequences   sequences owned by the table (serial and identity columns)
     * @param referencedBy foreign keys of other tables that point at this one, as "schema.table constraint"
     * @param dependentViews views and materialized views ("schema.view") built directly on this table,
     *                       which a {@code DROP TABLE … CASCADE} takes with it
     */
    public record TableEntry(
            String schema,
            String name,
            long rows,
            boolean partitioned,
            String partitionOf,
            List<String> indexes,
            List<String> constraints,
            List<String> triggers,
            List<String> sequences,
            List<String> referencedBy,
            List<String> dependentViews) {

        public TableEntry {
            // manifests written before a list existed read it as absent
            indexes = indexes == null ? List.of() : indexes;
            constraints = constraints == null ? List.of() : constraints;
            triggers = triggers == null ? List.of() : triggers;
            sequences = sequences == null ? List.of() : sequences;
            referencedBy = referencedBy == null ? List.of() : referencedBy;
            dependentViews = dependentViews == null ? List.of() : dependentViews;
        }

        public String qualifiedName() {
            return schema + "." + name;
        }
    }

    // not a JSON property: Jackson would otherwise write this boolean under the name "physical"
    // in place of the PhysicalInfo, and no physical manifest would read back
    @JsonIgnore
    public boolean isPhysical() {
        return KIND_PHYSICAL.equals(kind);
    }

    public long totalBytes() {
        return streams.stream().mapToLong(StreamEntry::size).sum() + (physical == null ? 0 : physical.totalBytes());
    }

    /** Every chunk reference of the backup, streams and files alike, in order (ids may repeat). */
    public Stream<ChunkRef> chunkRefs() {
        Stream<ChunkRef> fromStreams = streams.stream().flatMap(s -> s.chunks().stream());
        if (globals != null) {
            // gc, verify, sync and expire count the globals' chunks as the backup's own
            fromStreams = Stream.concat(fromStreams, globals.stream().chunks().stream());
        }
        return physical == null ? fromStreams
                : Stream.concat(fromStreams, physical.files().stream().flatMap(f -> f.chunks().stream()));
    }

    public long chunkCount() {
        return chunkRefs().count();
    }

    /** Rows of all tables, each row once (partitioned parents are not added again). */
    public long totalRows() {
        return tables.stream().filter(t -> !t.partitioned()).mapToLong(TableEntry::rows).sum();
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
