package dev.cellar.lifecycle.retention;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.archive.Archiver;
import dev.cellar.lifecycle.archive.RowSelection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Archives what retention removes, then removes it: one REPEATABLE READ transaction computes the
 * going rows and hands them to the archiver (which verifies before it returns); only then short
 * transactions delete them batch by batch, children before parents, each re-checking that its rows
 * are still due and still free. A run killed mid-way leaves production consistent (each batch is
 * one transaction) and its archive complete; the next run recomputes what is still due.
 */
final class RetentionApplier {
    private final Connection session;
    private final RetentionRules rules;
    private final DueSetSql sql;
    private final ApplySettings settings;

    /** Batch size and the pause between batches. */
    record ApplySettings(int batchRows, Duration pause, BatchPause pauser) {
        ApplySettings {
            if (batchRows < 1) {
                throw new CellarException(ErrorCode.USAGE, "--batch-rows must be at least 1, got " + batchRows,
                        "1000 keeps each transaction short; lower it on a busy database");
            }
        }
    }

    RetentionApplier(Connection session, RetentionRules rules, ApplySettings settings) {
        this.session = session;
        this.rules = rules;
        this.sql = new DueSetSql(rules);
        this.settings = settings;
    }

    /** Step 1 and 2: the going rows, from one snapshot, archived and verified. */
    Archiver.ArchiveReceipt archive(Archiver archiver, String database, String runId) throws SQLException {
        session.setAutoCommit(false);
        session.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            RetentionPlanner.computeGoingRows(session, rules);
            List<RowSelection> rows = rules.tables().stream().map(r -> new RowSelection(r.table(), sql.selection(r))).toList();
            Archiver.ArchiveReceipt receipt = archiver.archive(session, new Archiver.ArchiveRequest(database, "retention", runId, rows,
                    lockedUntil(rules), "retention run " + runId + " at " + rules.at()));
            checkReceiptHoldsGoingRows(receipt);
            session.commit();
            return receipt;
        } catch (SQLException | RuntimeException e) {
            session.rollback();
            throw e;
        } finally {
            session.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    /**
     * The archive stays locked as long as the longest retention among its tables, counted from the
     * run: an auditor asking about a deleted payment gets the same span the payment itself had.
     */
    static Instant lockedUntil(RetentionRules rules) {
        return rules.tables().stream()
                .map(r -> rules.at().atZone(ZoneOffset.UTC).plus(r.category().retention().asPeriod()).toInstant())
                .max(Instant::compareTo).orElse(rules.at());
    }

    private void checkReceiptHoldsGoingRows(Archiver.ArchiveReceipt receipt) throws SQLException {
        Map<String, Long> selected = receipt.tables().stream()
                .collect(Collectors.toMap(Archiver.TableCount::table, Archiver.TableCount::selected, Long::sum));
        for (TableRule rule : rules.tables()) {
            long going = count(sql.count(rule.goingTable()));
            long archived = selected.getOrDefault(rule.table().toString(), selected.getOrDefault(rule.table().qualified(), 0L));
            if (going != archived) {
                throw new CellarException(ErrorCode.VERIFY_FAILED, "archive " + receipt.archiveId() + " holds " + archived + " selected rows of "
                        + rule.table() + " but " + going + " are to be deleted; nothing was deleted",
                        "run 'cellar archive verify " + receipt.archiveId() + "' and retry the retention run");
            }
        }
    }

    /** Step 3: deletes the archived rows in batches, children first; returns per table what happened. */
    List<RetentionApplyResult.TableResult> deleteInBatches(Archiver.ArchiveReceipt receipt, long[] batches) throws SQLException, InterruptedException {
        // the archiver names tables schema-qualified; results name them as the policy does
        Map<String, Long> archived = receipt.tables().stream().collect(Collectors.toMap(
                t -> dev.cellar.lifecycle.TableName.parse(t.table()).toString(), Archiver.TableCount::selected, Long::sum));
        session.setAutoCommit(false);
        List<RetentionApplyResult.TableResult> results = new ArrayList<>();
        boolean first = true;
        for (TableRule rule : rules.tables()) {
            long deleted = 0;
            long skipped = 0;
            long detached = 0;
            while (true) {
                if (!first) {
                    settings.pauser().pause(settings.pause());
                }
                first = false;
                try (Statement st = session.createStatement()) {
                    if (st.executeUpdate(sql.markBatch(rule, settings.batchRows())) == 0) {
                        session.commit();
                        break;
                    }
                    for (String detach : sql.detachBatch(rule)) {
                        detached += st.executeUpdate(detach);
                    }
                    deleted += st.executeUpdate(sql.deleteBatch(rule));
                    skipped += st.executeUpdate(sql.skipRestOfBatch(rule));
                    session.commit();
                    batches[0]++;
                } catch (SQLException | RuntimeException e) {
                    session.rollback();
                    throw e;
                }
            }
            results.add(new RetentionApplyResult.TableResult(rule.table().toString(), archived.getOrDefault(rule.table().toString(), 0L),
                    deleted, skipped, detached));
        }
        return results;
    }

    private long count(String query) throws SQLException {
        try (Statement st = session.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
