package dev.cellar.lifecycle.archive;

import java.util.List;
import java.util.Map;

/**
 * What an archive holds, written last and sealed like every other object of it: an archive is
 * complete exactly when its manifest exists. docs/archives.md lists every field for a reader
 * without Cellar; times are ISO-8601 UTC strings, digests lower-case hex SHA-256.
 *
 * @param subjects for each subject table of the data policy that the archive holds, the sorted
 *                 keyed hashes ({@code SubjectKey}) of the subjects whose rows it holds
 */
public record ArchiveManifest(String format, String database, String kind, String label, String createdAt, String reason,
                              String policySource, Snapshot snapshot, String lockedUntil, String lockMode, boolean locked,
                              ObjectDigest schema, List<ArchivedTable> tables, Map<String, List<String>> subjects) {
    public static final String FORMAT = "cellar-archive/1";

    public ArchiveManifest {
        tables = List.copyOf(tables);
        subjects = Map.copyOf(subjects);
    }

    /** The transaction the rows were read in: server time and txid_current_snapshot(). */
    public record Snapshot(String serverTime, String transactionSnapshot, String serverVersion) {
    }

    /** One stored object other than a table: its key, the SHA-256 of its plaintext, and sizes. */
    public record ObjectDigest(String object, String sha256, long plainBytes, long storedBytes) {
    }

    /**
     * One table: its rows as PostgreSQL CSV with a header line, gzip, sealed.
     *
     * @param sha256    of the CSV text (before gzip)
     * @param csvBytes  length of the CSV text
     * @param gzipBytes length after gzip
     * @param storedBytes length of the sealed object
     */
    public record ArchivedTable(String table, String object, long rows, long selected, String sha256, long csvBytes, long gzipBytes,
                                long storedBytes, List<Column> columns) {
        public ArchivedTable {
            columns = List.copyOf(columns);
        }
    }

    /** A column in CSV order and its type as PostgreSQL's format_type() prints it. */
    public record Column(String name, String type) {
    }

    public long rows() {
        return tables.stream().mapToLong(ArchivedTable::rows).sum();
    }

    public long storedBytes() {
        return schema.storedBytes() + tables.stream().mapToLong(ArchivedTable::storedBytes).sum();
    }
}
