package dev.cellar.lifecycle.archive;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.SubjectKey;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.policy.DataPolicy;
import dev.cellar.pg.SnapshotSession;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Archives rows into the repository's {@code archives/} prefix as self-contained objects (never
 * chunks shared with backups): per table the rows as PostgreSQL CSV, gzip, AES-256-GCM under the
 * repository's derived "archive" key with the object's key as associated data; then schema.sql;
 * then, last, the manifest. Every object is locked WORM until the archive's date where the storage
 * can lock, and the whole archive is read back and checked before {@link #archive} returns.
 *
 * <p>Construct with {@code new RepositoryArchiver(repository, policy, clock)}; the policy only
 * names the subject tables whose keyed hashes the manifest lists.
 */
public final class RepositoryArchiver implements Archiver {
    public static final String KEY_PURPOSE = "archive";

    private final Repository repository;
    private final Storage storage;
    private final DataPolicy policy;
    private final Clock clock;
    private final Retention.Mode lockMode;
    private final String policySource;
    private final AeadCipher cipher;

    /** Locks in COMPLIANCE mode (archives exist to be kept); the policy source reads "unspecified". */
    public RepositoryArchiver(Repository repository, DataPolicy policy, Clock clock) {
        this(repository, policy, clock, Retention.Mode.COMPLIANCE, "unspecified");
    }

    public RepositoryArchiver(Repository repository, DataPolicy policy, Clock clock, Retention.Mode lockMode, String policySource) {
        this.repository = repository;
        this.storage = repository.storage();
        this.policy = policy;
        this.clock = clock;
        this.lockMode = lockMode;
        this.policySource = policySource;
        this.cipher = new AeadCipher(repository.derivedKey(KEY_PURPOSE));
    }

    /** What {@link #archive} wrote, with the manifest and what the operator must hear (the storage could not lock). */
    public record ArchiveOutcome(ArchiveReceipt receipt, ArchiveManifest manifest, List<String> warnings) {
        public ArchiveOutcome {
            warnings = List.copyOf(warnings);
        }
    }

    @Override
    public ArchiveReceipt archive(Connection snapshot, ArchiveRequest request) {
        return archiveWithReport(snapshot, request).receipt();
    }

    public ArchiveOutcome archiveWithReport(Connection snapshot, ArchiveRequest request) {
        ArchiveLayout layout = new ArchiveLayout(request.database(), request.kind(), request.label());
        // Refuse a complete archive of that name; clear the leftovers of an incomplete one
        if (storage.exists(layout.manifestKey())) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "archive " + layout.id() + " already exists",
                    "delete it first (cellar archive create --replace for a monthly archive), or pick another label");
        }
        deleteObjects(layout);
        boolean locking = storage.supportsRetention() && request.lockedUntil() != null && request.lockedUntil().isAfter(clock.instant());
        List<String> warnings = new ArrayList<>();
        if (!storage.supportsRetention()) {
            warnings.add(storage.describe() + " cannot lock objects (WORM): archive " + layout.id()
                    + " is written unlocked and can be deleted by anyone with write access to the storage");
        }
        try {
            // Read the graph, the rows' conditions and the DDL in the caller's snapshot
            ForeignKeyGraph graph = ForeignKeyCatalog.read(snapshot);
            Map<TableName, String> conditions = ArchiveSelectionSql.conditions(graph, request.rows());
            Map<TableName, String> selections = ArchiveSelectionSql.selectedOnly(request.rows());
            ArchiveSchema schema = ArchiveSchema.read(snapshot, conditions.keySet());
            ArchiveManifest.Snapshot snapshotInfo = snapshotInfo(snapshot);
            Instant createdAt = clock.instant();

            // One object per table: CSV, gzip, sealed
            List<ArchiveManifest.ArchivedTable> tables = new ArrayList<>();
            for (Map.Entry<TableName, String> entry : conditions.entrySet()) {
                TableName table = entry.getKey();
                String orderBy = orderBy(graph.primaryKeys().get(table));
                ExportedRows rows = export(snapshot, "SELECT * FROM " + table.quoted() + " WHERE " + entry.getValue() + orderBy);
                String key = layout.tableKey(table);
                byte[] sealed = cipher.seal(rows.gzip(), key);
                write(key, sealed, request.lockedUntil(), locking);
                long selected = selections.containsKey(table) ? count(snapshot, table, selections.get(table)) : 0;
                tables.add(new ArchiveManifest.ArchivedTable(table.qualified(), key, rows.records(), selected, rows.sha256(),
                        rows.csvBytes(), rows.gzip().length, sealed.length, schema.columnsOf(table)));
            }

            // The DDL, then the subject index, then the manifest: an archive is complete once its manifest exists
            byte[] schemaText = schema.sql().getBytes(StandardCharsets.UTF_8);
            byte[] sealedSchema = cipher.seal(schemaText, layout.schemaKey());
            write(layout.schemaKey(), sealedSchema, request.lockedUntil(), locking);
            Map<String, List<String>> subjects = subjects(snapshot, graph, conditions);
            ArchiveManifest manifest = new ArchiveManifest(ArchiveManifest.FORMAT, request.database(), request.kind(), request.label(),
                    createdAt.toString(), request.reason(), policySource, snapshotInfo,
                    request.lockedUntil() == null ? null : request.lockedUntil().toString(), locking ? lockMode.name() : null, locking,
                    new ArchiveManifest.ObjectDigest(layout.schemaKey(), CsvDigest.sha256Hex(schemaText), schemaText.length, sealedSchema.length),
                    tables, subjects);
            write(layout.manifestKey(), cipher.seal(ArchiveManifestJson.write(manifest), layout.manifestKey()), request.lockedUntil(), locking);

            // Read everything back before anyone relies on it
            ArchiveVerification verification = verify(layout.id());
            if (!verification.intact()) {
                throw new CellarException(ErrorCode.VERIFY_FAILED, "archive " + layout.id() + " did not read back as written: "
                        + String.join("; ", verification.problems()), "check the storage " + storage.describe() + "; nothing was deleted from the database");
            }
            return new ArchiveOutcome(new ArchiveReceipt(layout.id(), layout.prefix(), verification.tables(), manifest.storedBytes()
                    + storage.size(layout.manifestKey()), request.lockedUntil()), manifest, warnings);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "archive " + layout.id() + " failed reading the database: " + e.getMessage(),
                    "check the selection and that the database is up; the incomplete archive is replaced by the next attempt", e);
        }
    }

    @Override
    public ArchiveVerification verify(String archiveId) {
        ArchiveLayout layout = ArchiveLayout.ofId(archiveId);
        List<String> problems = new ArrayList<>();
        ArchiveManifest manifest;
        try {
            manifest = readManifest(layout);
        } catch (CellarException e) {
            return new ArchiveVerification(archiveId, false, List.of(), List.of(e.getMessage()));
        }
        checkSchema(manifest, problems);
        List<TableCount> counts = new ArrayList<>();
        for (ArchiveManifest.ArchivedTable table : manifest.tables()) {
            try {
                byte[] sealed = storage.get(table.object());
                if (sealed.length != table.storedBytes()) {
                    problems.add(table.object() + " holds " + sealed.length + " bytes, the manifest says " + table.storedBytes());
                }
                byte[] csv = gunzip(open(table.object(), sealed), table.object());
                CsvDigest digest = CsvDigest.of(csv);
                if (digest.records() != table.rows()) {
                    problems.add(table.table() + " holds " + digest.records() + " rows, the manifest says " + table.rows());
                }
                if (!digest.sha256Hex().equals(table.sha256())) {
                    problems.add(table.table() + " rows have SHA-256 " + digest.sha256Hex() + ", the manifest says " + table.sha256());
                }
                counts.add(new TableCount(table.table(), digest.records(), table.selected(), digest.sha256Hex()));
            } catch (CellarException e) {
                problems.add(e.getMessage());
            }
        }
        return new ArchiveVerification(archiveId, problems.isEmpty(), counts, problems);
    }

    /** The manifest of a complete archive; NOT_FOUND when it has none, INTEGRITY when it does not authenticate. */
    public ArchiveManifest readManifest(ArchiveLayout layout) {
        byte[] sealed;
        try {
            sealed = storage.get(layout.manifestKey());
        } catch (NoSuchObjectException e) {
            throw new CellarException(ErrorCode.NOT_FOUND, "archive " + layout.id() + " has no manifest: it does not exist or is incomplete",
                    "list the archives with 'cellar archive list'; an incomplete one is replaced by creating it again");
        }
        return ArchiveManifestJson.read(open(layout.manifestKey(), sealed), layout.manifestKey());
    }

    /** The CSV text of one archived table, authenticated and checked against its manifest digest. */
    public byte[] readTable(ArchiveManifest.ArchivedTable table) {
        byte[] csv = gunzip(open(table.object(), storage.get(table.object())), table.object());
        if (!CsvDigest.sha256Hex(csv).equals(table.sha256())) {
            throw new CellarException(ErrorCode.INTEGRITY, table.object() + " does not match the SHA-256 its manifest records",
                    "run 'cellar archive verify' on the archive; restore it from another copy of the repository");
        }
        return csv;
    }

    public String readSchema(ArchiveManifest manifest) {
        byte[] text = open(manifest.schema().object(), storage.get(manifest.schema().object()));
        if (!CsvDigest.sha256Hex(text).equals(manifest.schema().sha256())) {
            throw new CellarException(ErrorCode.INTEGRITY, manifest.schema().object() + " does not match the SHA-256 its manifest records",
                    "run 'cellar archive verify' on the archive");
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    /** Every archive under archives/, complete or not, sorted by id. */
    public List<ArchiveListing> list() {
        Map<String, List<String>> byArchive = new TreeMap<>();
        Map<String, Long> sizes = storage.listSizes(RepositoryLayout.ARCHIVES);
        for (String key : sizes.keySet()) {
            String[] parts = key.substring(RepositoryLayout.ARCHIVES.length()).split("/", 4);
            if (parts.length == 4) {
                byArchive.computeIfAbsent(parts[0] + "/" + parts[1] + "/" + parts[2], id -> new ArrayList<>()).add(key);
            }
        }
        List<ArchiveListing> listings = new ArrayList<>();
        byArchive.forEach((id, keys) -> {
            ArchiveLayout layout = ArchiveLayout.ofId(id);
            long bytes = keys.stream().mapToLong(sizes::get).sum();
            Optional<ArchiveManifest> manifest = Optional.empty();
            String problem = null;
            if (keys.contains(layout.manifestKey())) {
                try {
                    manifest = Optional.of(readManifest(layout));
                } catch (CellarException e) {
                    problem = e.getMessage();
                }
            }
            listings.add(new ArchiveListing(id, layout.database(), layout.kind(), layout.label(), manifest.isPresent(),
                    manifest.map(m -> m.tables().size()).orElse(0), manifest.map(ArchiveManifest::rows).orElse(0L), bytes,
                    manifest.map(ArchiveManifest::lockedUntil).orElse(null), manifest.map(ArchiveManifest::createdAt).orElse(null),
                    problem));
        });
        return listings;
    }

    /** One archive as {@code archive list} shows it; {@code complete} false when it has no readable manifest. */
    public record ArchiveListing(String id, String database, String kind, String label, boolean complete, int tables, long rows,
                                 long bytes, String lockedUntil, String createdAt, String problem) {
    }

    /** Removes an archive, manifest first so that a delete stopped half-way leaves an incomplete archive, never a wrong one. */
    public void delete(String archiveId) {
        deleteObjects(ArchiveLayout.ofId(archiveId));
    }

    private void deleteObjects(ArchiveLayout layout) {
        List<String> keys = new ArrayList<>(storage.list(layout.prefix()));
        keys.sort((a, b) -> a.equals(layout.manifestKey()) ? -1 : b.equals(layout.manifestKey()) ? 1 : a.compareTo(b));
        for (String key : keys) {
            storage.delete(key);
        }
    }

    private void write(String key, byte[] sealed, Instant lockedUntil, boolean locking) {
        if (locking) {
            if (!storage.putIfAbsentRetained(key, sealed, new Retention(lockMode, lockedUntil))) {
                throw new CellarException(ErrorCode.OBJECT_LOCKED, "archive object " + key + " already exists and is locked",
                        "an earlier attempt left it; the archive cannot be written under this label until the lock ends");
            }
        } else {
            storage.put(key, sealed);
        }
    }

    private void checkSchema(ArchiveManifest manifest, List<String> problems) {
        try {
            byte[] sealed = storage.get(manifest.schema().object());
            if (sealed.length != manifest.schema().storedBytes()) {
                problems.add(manifest.schema().object() + " holds " + sealed.length + " bytes, the manifest says " + manifest.schema().storedBytes());
            }
            String sha = CsvDigest.sha256Hex(open(manifest.schema().object(), sealed));
            if (!sha.equals(manifest.schema().sha256())) {
                problems.add(manifest.schema().object() + " has SHA-256 " + sha + ", the manifest says " + manifest.schema().sha256());
            }
        } catch (CellarException e) {
            problems.add(e.getMessage());
        }
    }

    private byte[] open(String key, byte[] sealed) {
        try {
            return cipher.open(sealed, key);
        } catch (AeadCipher.AuthenticationFailedException e) {
            throw new CellarException(ErrorCode.INTEGRITY, key + " does not authenticate (" + e.getMessage() + "): it was changed or damaged",
                    "restore the object from another copy of the repository; the archive cannot be trusted as it is");
        }
    }

    private static byte[] gunzip(byte[] gzip, String key) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTEGRITY, key + " is not valid gzip: " + e.getMessage(), "the archive is damaged");
        }
    }

    private record ExportedRows(byte[] gzip, long records, String sha256, long csvBytes) {
    }

    private static ExportedRows export(Connection snapshot, String select) throws SQLException {
        CsvDigest digest = new CsvDigest();
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try {
            CopyManager copy = snapshot.unwrap(PGConnection.class).getCopyAPI();
            try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped, 1 << 16)) {
                copy.copyOut("COPY (" + select + ") TO STDOUT (FORMAT csv, HEADER)", new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        gzip.write(b);
                        digest.write(b);
                    }

                    @Override
                    public void write(byte[] data, int offset, int length) throws IOException {
                        gzip.write(data, offset, length);
                        digest.write(data, offset, length);
                    }
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return new ExportedRows(gzipped.toByteArray(), digest.records(), digest.sha256Hex(), digest.bytes());
    }

    private static String orderBy(List<String> primaryKey) {
        return primaryKey == null || primaryKey.isEmpty() ? ""
                : " ORDER BY " + primaryKey.stream().map(SnapshotSession::quoteIdentifier).collect(Collectors.joining(", "));
    }

    private static long count(Connection snapshot, TableName table, String condition) throws SQLException {
        try (Statement st = snapshot.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.quoted() + " WHERE " + condition)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, List<String>> subjects(Connection snapshot, ForeignKeyGraph graph, Map<TableName, String> conditions) throws SQLException {
        SubjectKey subjectKey = SubjectKey.of(repository);
        Map<String, List<String>> subjects = new TreeMap<>();
        for (TableName table : policy == null ? List.<TableName>of() : policy.subjects()) {
            List<String> key = graph.primaryKeys().get(table);
            if (!conditions.containsKey(table) || key == null || key.size() != 1) {
                continue;
            }
            List<String> hashes = new ArrayList<>();
            try (Statement st = snapshot.createStatement(); ResultSet rs = st.executeQuery("SELECT " + SnapshotSession.quoteIdentifier(key.get(0))
                    + "::text FROM " + table.quoted() + " WHERE " + conditions.get(table))) {
                while (rs.next()) {
                    hashes.add(subjectKey.hash(table, rs.getString(1)));
                }
            }
            hashes.sort(null);
            subjects.put(table.qualified(), hashes);
        }
        return subjects;
    }

    private static ArchiveManifest.Snapshot snapshotInfo(Connection snapshot) throws SQLException {
        try (Statement st = snapshot.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), txid_current_snapshot()::text, current_setting('server_version')")) {
            rs.next();
            return new ArchiveManifest.Snapshot(rs.getString(1), rs.getString(2), rs.getString(3));
        }
    }
}
