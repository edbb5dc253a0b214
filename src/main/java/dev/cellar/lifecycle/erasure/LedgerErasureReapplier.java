package dev.cellar.lifecycle.erasure;

import dev.cellar.lifecycle.SubjectKey;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.graph.Subject;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.Repository;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-applies, to a restored database, every erasure the ledger records as applied to the source
 * database, each with the rule recorded in its request. All of them in one transaction: the
 * restored database either has every erasure again or the restore fails (it is never handed over
 * half-erased). A ledger that does not verify is still applied as far as it can be read, and the
 * problem is reported: refusing would hand over nothing, skipping would hand over erased data.
 */
public final class LedgerErasureReapplier implements ErasureReapplier {

    @Override
    public ErasureReapplication reapply(Repository repository, PgConnectionSpec restored, String sourceDatabase) {
        LedgerContents ledger = ErasureLedger.of(repository).read();
        List<LedgerContents.Request> applied = ledger.appliedTo(sourceDatabase);
        List<String> warnings = new ArrayList<>();
        ledger.problems().forEach(p -> warnings.add("erasure ledger: " + p + " (see 'cellar gdpr ledger verify')"));
        if (applied.isEmpty()) {
            return new ErasureReapplication(0, 0, 0, warnings);
        }
        SubjectKey subjectKey = SubjectKey.of(repository);
        int found = 0;
        long rows = 0;
        try (Connection c = restored.connect()) {
            c.setAutoCommit(false);
            try {
                SubjectErasure erasure = new SubjectErasure(c, subjectKey);
                ForeignKeyGraph graph = ForeignKeyCatalog.read(c);
                Map<TableName, List<LedgerEntry>> bySubjectTable = new LinkedHashMap<>();
                for (LedgerContents.Request request : applied) {
                    bySubjectTable.computeIfAbsent(TableName.parse(request.request().subjectTable()), t -> new ArrayList<>())
                            .add(request.request());
                }
                for (Map.Entry<TableName, List<LedgerEntry>> table : bySubjectTable.entrySet()) {
                    if (!graph.primaryKeys().containsKey(table.getKey())) {
                        warnings.add("table " + table.getKey() + " is not in this database: " + table.getValue().size()
                                + " erasure(s) of its subjects had nothing to erase");
                        continue;
                    }
                    Set<String> hashes = new HashSet<>();
                    table.getValue().forEach(entry -> hashes.add(entry.subjectHash()));
                    Map<String, String> ids = erasure.findByHashes(graph, table.getKey(), hashes);
                    for (LedgerEntry entry : table.getValue()) {
                        String id = ids.get(entry.subjectHash());
                        if (id == null) {
                            continue;
                        }
                        SubjectErasure.Outcome outcome = erasure.apply(entry.rule(), graph, new Subject(table.getKey(), id), entry.subjectHash());
                        found++;
                        rows += outcome.total();
                        outcome.warnings().forEach(w -> warnings.add("erasure " + entry.sequence() + ": " + w));
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new dev.cellar.error.CellarException(dev.cellar.error.ErrorCode.DATABASE_UNREACHABLE,
                    "could not re-apply the erasure ledger to " + restored.describe() + ": " + e.getMessage(),
                    "the restored database must not be used before its erasures are applied: fix the cause and run "
                            + "'cellar gdpr reapply --target-db " + restored.database() + " --source-db " + sourceDatabase + "'", e);
        }
        return new ErasureReapplication(applied.size(), found, rows, warnings);
    }
}
