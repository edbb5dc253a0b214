package dev.cellar.repo;

import java.util.List;

/**
 * Where each kind of object lives in a repository, in one place: the writers take their
 * prefixes from here, and so do the bucket lifecycle rules, which must match exactly where
 * Cellar writes (a rule with a wrong prefix silently moves or expires the wrong objects).
 * See docs/repository-format.md.
 */
public final class RepositoryLayout {
    /** The header, plaintext JSON. */
    public static final String HEADER = "cellar.json";
    /** Wrapped key material, one file per key slot. */
    public static final String KEYS = "keys/";
    /** Data keys added by 'cellar key rotate', sealed, one object per key (docs/keys.md). */
    public static final String KEYRING = "keyring/";
    /** Deduplicated content chunks, shared by many backups. */
    public static final String CHUNKS = "chunks/";
    /** One sealed manifest per finished backup. */
    public static final String BACKUPS = "backups/";
    /** One sealed summary per finished backup, beside its manifest: what {@code cellar list} shows of it. */
    public static final String SUMMARIES = "summaries/";
    /** Archived WAL, one self-contained object per file. */
    public static final String WAL = "wal/";
    /** Monthly and retention archives: self-contained, never shared with backups (docs/archives.md). */
    public static final String ARCHIVES = "archives/";
    /** The GDPR erasure ledger: keyed hashes of subjects, never their ids, hash-chained (docs/gdpr.md). */
    public static final String ERASURES = "erasures/";
    /** Drill and audit reports: sealed, one folder per report with its renderings (docs/reports.md). */
    public static final String REPORTS = "reports/";
    /** The audit trail. */
    public static final String AUDIT = "audit/";
    /** Repository locks of running operations. */
    public static final String LOCKS = "locks/";

    /** Objects that stand alone (no other object refers into them), so a bucket may move or expire them by age. */
    public static final List<String> SELF_CONTAINED = List.of(WAL, ARCHIVES);
    /** Objects the bucket must never move to an archive class or expire: restores and Cellar's own bookkeeping read them. */
    public static final List<String> CELLAR_MANAGED = List.of(HEADER, KEYS, KEYRING, CHUNKS, BACKUPS, SUMMARIES, ERASURES, REPORTS, AUDIT, LOCKS);

    private RepositoryLayout() {
    }
}
