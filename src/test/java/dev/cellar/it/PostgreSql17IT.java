package dev.cellar.it;

/** The version matrix on PostgreSQL 17: adds summarize_wal and its own incremental backups (Cellar's incremental does not use them); newer than the machine's client programs. */
class PostgreSql17IT extends PostgresMajorRoundTripContract {
    PostgreSql17IT() {
        super(17);
    }
}
