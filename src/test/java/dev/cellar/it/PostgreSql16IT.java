package dev.cellar.it;

/** The version matrix on PostgreSQL 16: newer than the machine's pg_dump and pg_receivewal: WAL streams through the built-in receiver, logical backups are refused. */
class PostgreSql16IT extends PostgresMajorRoundTripContract {
    PostgreSql16IT() {
        super(16);
    }
}
