package dev.cellar.lifecycle.erasure;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The typed results of the {@code cellar gdpr} commands, rendered by the CLI as text or JSON. */
public final class GdprResults {
    private GdprResults() {
    }

    /** A request as listed and reported: hashes only, never the subject's id. */
    public record RequestView(long request, String database, String subjectTable, String subjectHash, String state,
                              Instant requestedAt, Instant dueAt, Instant appliedAt, Map<String, Long> rowsChanged, String ruleDigest,
                              String requestedBy) {

        public static RequestView of(LedgerContents.Request r) {
            LedgerEntry q = r.request();
            LedgerEntry a = r.applied();
            return new RequestView(q.sequence(), q.database(), q.subjectTable(), q.subjectHash(), r.state(), q.requestedAt(), q.dueAt(),
                    a == null ? null : a.at(), a == null ? Map.of() : a.rowsChanged(), q.rule().digest(), q.actor());
        }
    }

    /** What {@code gdpr erase} did: the request, and with --now its application. */
    public record EraseResult(RequestView request, boolean alreadyRequested, List<String> warnings) {
    }

    /** What {@code gdpr apply-due} did. */
    public record ApplyDueResult(List<RequestView> applied, int stillPending, List<String> warnings) {
    }

    public record ListResult(List<RequestView> requests, List<String> ledgerProblems) {
    }

    public record LedgerVerifyResult(int entries, int requests, int applied, List<String> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    /** Where a subject's data still is after (or before) its erasure: "beyond use" copies and when each goes. */
    public record Report(String subject, String subjectHash, RequestView request, List<BeyondUse.HoldingBackup> backups,
                         String walNote, List<HoldingArchive> archives, String archivesNote) {
        public Report {
            archives = List.copyOf(archives);
        }
    }

    /**
     * An archive whose manifest indexes the subject: it holds the subject's rows as they were when
     * archived, cannot be changed (WORM), and is re-erased whenever it is restored.
     *
     * @param lockedUntil the end of its WORM lock: the earliest it can be deleted; null when it is not locked
     */
    public record HoldingArchive(String id, String kind, String label, String createdAt, String lockedUntil) {
    }

    /** What {@code gdpr reapply} did on a database. */
    public record ReapplyResult(String targetDatabase, String sourceDatabase, ErasureReapplication reapplication) {
    }
}
