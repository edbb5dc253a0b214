package dev.cellar.lifecycle.erasure;

import java.util.List;

/**
 * What re-applying the erasure ledger to a restored database did, for the restore's output.
 *
 * @param ledgerEntries  erasures the ledger holds for the source database
 * @param subjectsFound  of those, subjects whose rows the restored database still held
 * @param rowsChanged    rows deleted, nulled or pseudonymised again
 * @param warnings       what the operator must hear (a table of the policy missing from the restored database)
 */
public record ErasureReapplication(int ledgerEntries, int subjectsFound, long rowsChanged, List<String> warnings) {
    public ErasureReapplication {
        warnings = List.copyOf(warnings);
    }

    public static ErasureReapplication nothingRecorded() {
        return new ErasureReapplication(0, 0, 0, List.of());
    }

    /**
     * How a restore's audit record says the ledger was re-applied before hand-over: the audit
     * reports read it as the evidence (docs/reports.md), so its wording stays stable.
     */
    public String auditNote() {
        return "; erasure ledger re-applied (" + ledgerEntries + " entries, " + subjectsFound + " subject(s) found, " + rowsChanged + " row(s) changed)";
    }

    /** The phrase {@link #auditNote} starts with. */
    public static final String AUDIT_PHRASE = "erasure ledger re-applied";
}
