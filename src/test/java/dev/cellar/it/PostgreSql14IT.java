package dev.cellar.it;

/** The version matrix on PostgreSQL 14: pg_start_backup/pg_stop_backup still, and pg_dump 15 dumps it. */
class PostgreSql14IT extends PostgresMajorRoundTripContract {
    PostgreSql14IT() {
        super(14);
    }
}
