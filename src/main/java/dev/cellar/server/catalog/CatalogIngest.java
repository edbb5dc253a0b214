package dev.cellar.server.catalog;

import dev.cellar.error.CellarException;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.Repository;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fills {@code backup_log} from the repository, the source of truth: its audit trail joined with
 * the backups' manifests. Idempotent (a row per operation, keyed by its first record's MAC) and
 * incremental (manifests already read are not read again; only changed rows are written). The
 * daemon calls {@link #ingest} after each job and periodically, and {@link #rebuild} on its
 * first start on an empty catalog; {@code cellar status} and {@code cellar catalog rebuild} too.
 */
public final class CatalogIngest {
    private final Catalog catalog;

    public CatalogIngest(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * One configured copy of the repository, as the command or daemon reached it.
     *
     * @param repository the repository opened on that copy alone, or null when it could not be reached
     */
    public record Copy(String name, Repository repository) {
    }

    /** Adds what the repository holds that the catalog lacks, and updates what changed. */
    public IngestResult ingest(Repository repository, List<Copy> copies) {
        return run(repository, copies, false);
    }

    /** Empties {@code backup_log} and fills it again, in one transaction: readers never see it empty. */
    public IngestResult rebuild(Repository repository, List<Copy> copies) {
        return run(repository, copies, true);
    }

    /** Whether {@code backup_log} is empty: the daemon then rebuilds on its first start. */
    public boolean empty() {
        try (Connection c = catalog.dataSource().getConnection();
             var s = c.createStatement(); var rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM backup_log)")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw catalog.unreadable(e);
        }
    }

    private IngestResult run(Repository repository, List<Copy> copies, boolean rebuild) {
        // 1. The whole trail, every copy's records once (the repository's own view joins them).
        List<AuditRecord> records = repository.audit().read(0).records();
        List<String> notes = new ArrayList<>();
        // 2. Which copies hold which manifests: a listing per copy, cheap.
        Map<String, Integer> copiesHolding = copiesHolding(copies, notes);
        try (Connection c = catalog.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                BackupLogTable table = new BackupLogTable(c);
                table.lockForIngest();
                if (rebuild) {
                    table.deleteAll();
                }
                // 3. Manifests of backups the catalog has no sizes for yet (each is decrypted: read once).
                Map<String, BackupFacts> facts = newFacts(repository, table.backupsWithFacts(), notes);
                // 4. Rows from records and facts, written where new or changed.
                List<BackupLogEntry> entries = BackupLogBuilder.entries(records, facts, copiesHolding);
                int inserted = 0;
                int updated = 0;
                Map<String, Integer> byOperation = new TreeMap<>();
                for (BackupLogEntry entry : entries) {
                    switch (table.upsert(entry)) {
                        case INSERTED -> {
                            inserted++;
                            byOperation.merge(entry.operation(), 1, Integer::sum);
                        }
                        case UPDATED -> updated++;
                        case UNCHANGED -> { }
                    }
                }
                c.commit();
                return new IngestResult(rebuild, records.size(), inserted, updated, byOperation, List.copyOf(notes));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw catalog.unreadable(e);
        }
    }

    private static Map<String, Integer> copiesHolding(List<Copy> copies, List<String> notes) {
        Map<String, Integer> holding = new HashMap<>();
        for (Copy copy : copies) {
            if (copy.repository() == null) {
                notes.add("copy '" + copy.name() + "' could not be reached: its backups are not counted in 'copies'");
                continue;
            }
            try {
                copy.repository().manifests().ids().forEach(id -> holding.merge(id, 1, Integer::sum));
            } catch (CellarException e) {
                notes.add("copy '" + copy.name() + "' could not be listed (" + e.getMessage() + "): its backups are not counted in 'copies'");
            }
        }
        return holding;
    }

    private static Map<String, BackupFacts> newFacts(Repository repository, Set<String> known, List<String> notes) {
        Map<String, BackupFacts> facts = new HashMap<>();
        for (String id : repository.manifests().ids()) {
            if (known.contains(id)) {
                continue;
            }
            try {
                BackupManifest manifest = repository.manifests().load(id);
                facts.put(id, BackupFacts.of(manifest));
            } catch (CellarException e) {
                notes.add("manifest of backup " + id + " could not be read (" + e.getMessage() + "): its size is left out");
            }
        }
        return facts;
    }
}
