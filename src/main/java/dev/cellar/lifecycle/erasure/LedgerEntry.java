package dev.cellar.lifecycle.erasure;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of the erasure ledger. A request and its application are two entries (the ledger is
 * append-only, so a state change is a new entry pointing at the request). An entry never holds a
 * subject's id: only its keyed hash ({@link dev.cellar.lifecycle.SubjectKey}).
 *
 * @param sequence        position in the ledger, from 1, without gaps
 * @param previousSha256  SHA-256 of the previous entry's plaintext ({@link ErasureLedger#GENESIS} for the first)
 * @param state           {@link #REQUESTED} or {@link #APPLIED}
 * @param request         the sequence of the request this entry is about (its own sequence for a request)
 * @param database        the database the subject lives in
 * @param subjectTable    the subject's table, qualified ({@code public.users})
 * @param subjectHash     the keyed hash of the subject
 * @param rule            what erasure does, per table and column, with the digest of that rule
 * @param requestedAt     when the request was made
 * @param dueAt           when it must be applied at the latest
 * @param at              when this entry was written (for an applied entry: when the transaction committed)
 * @param rowsChanged     for an applied entry: rows deleted, nulled or pseudonymised, per qualified table
 * @param actor           the OS user (CLI) or web user (server) who wrote the entry
 * @param reason          why, as the operator typed it (a ticket number; docs/gdpr.md asks for no names), or null
 */
public record LedgerEntry(long sequence, String previousSha256, String state, long request, String database, String subjectTable,
                          String subjectHash, ErasureRule rule, Instant requestedAt, Instant dueAt, Instant at,
                          Map<String, Long> rowsChanged, String actor, String reason) {
    public static final String REQUESTED = "requested";
    public static final String APPLIED = "applied";

    public LedgerEntry {
        rowsChanged = rowsChanged == null ? Map.of() : new TreeMap<>(rowsChanged);
    }

    /** The same entry at another place in the ledger: what a writer that lost a race does before retrying. */
    LedgerEntry at(long newSequence, String newPrevious) {
        return new LedgerEntry(newSequence, newPrevious, state, REQUESTED.equals(state) ? newSequence : request, database, subjectTable,
                subjectHash, rule, requestedAt, dueAt, at, rowsChanged, actor, reason);
    }

    public boolean makesRequest() {
        return REQUESTED.equals(state);
    }

    public long totalRowsChanged() {
        return rowsChanged.values().stream().mapToLong(Long::longValue).sum();
    }
}
