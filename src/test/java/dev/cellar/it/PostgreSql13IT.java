package dev.cellar.it;

/** The version matrix on PostgreSQL 13: the oldest major Cellar supports: pg_start_backup/pg_stop_backup, and pg_dump 15 dumps it. */
class PostgreSql13IT extends PostgresMajorRoundTripContract {
    PostgreSql13IT() {
        super(13);
    }
}
