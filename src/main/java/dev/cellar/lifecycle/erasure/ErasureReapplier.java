package dev.cellar.lifecycle.erasure;

import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.Repository;

/**
 * Applies again, to a database just restored, every erasure the repository's ledger records for
 * it, before the database is handed over: a restore must never bring back a subject's personal
 * data that was erased after the backup was taken. Every restore path calls it (logical, table,
 * point-in-time, archive); docs/gdpr.md.
 */
public interface ErasureReapplier {

    /**
     * @param repository     the repository whose ledger is read
     * @param restored       a connection to the restored database (it must accept writes)
     * @param sourceDatabase the database the backup or archive was taken of: whose ledger entries apply
     */
    ErasureReapplication reapply(Repository repository, PgConnectionSpec restored, String sourceDatabase);
}
