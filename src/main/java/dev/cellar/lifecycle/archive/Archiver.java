package dev.cellar.lifecycle.archive;

import java.sql.Connection;
import java.util.List;

/**
 * Writes archives of selected rows and checks them again: what monthly archives ({@code cellar
 * archive create}) and retention ({@code cellar retention apply}, which deletes a row only once an
 * archive holding it verified) both stand on. docs/archives.md describes the format.
 */
public interface Archiver {

    /**
     * Archives the selected rows, plus every row they reference through foreign keys (so the archive
     * restores on its own), as the caller's transaction sees them: the caller opens it REPEATABLE
     * READ, so every table is read from one snapshot, and may delete the same rows in it afterwards.
     * The archive is sealed, written under the {@code archives/} prefix, locked WORM until {@code
     * request.lockedUntil()} where the storage can, and read back and verified before this returns.
     *
     * @return what was written; its counts and digests are those of the verified archive
     */
    ArchiveReceipt archive(Connection snapshot, ArchiveRequest request);

    /** Reads an archive back in full and checks every table's row count and digest against its manifest. */
    ArchiveVerification verify(String archiveId);

    /** What to archive. {@code kind} is monthly or retention; {@code label} is the month (2026-10) or the retention run's id. */
    record ArchiveRequest(String database, String kind, String label, List<RowSelection> rows, java.time.Instant lockedUntil,
                          String reason) {
        public ArchiveRequest {
            rows = List.copyOf(rows);
        }
    }

    /** An archive written and verified: its id, and per table the rows it holds and their digest. */
    record ArchiveReceipt(String archiveId, String objectPrefix, List<TableCount> tables, long bytes, java.time.Instant lockedUntil) {
        public ArchiveReceipt {
            tables = List.copyOf(tables);
        }
    }

    /**
     * One table of an archive.
     *
     * @param rows      rows held
     * @param selected  of those, the rows the request selected (the rest are referenced rows, held for self-containment)
     * @param digest    SHA-256 (hex) of the table's rows as the archive stores them, in the order stored
     */
    record TableCount(String table, long rows, long selected, String digest) {
    }

    /** The outcome of re-reading an archive: intact, or each problem found. */
    record ArchiveVerification(String archiveId, boolean intact, List<TableCount> tables, List<String> problems) {
        public ArchiveVerification {
            tables = List.copyOf(tables);
            problems = List.copyOf(problems);
        }
    }
}
