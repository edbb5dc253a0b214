package dev.cellar.it;

/** The version matrix on PostgreSQL 15: the machine's own PostgreSQL (Debian's server and client programs). */
class PostgreSql15IT extends PostgresMajorRoundTripContract {
    PostgreSql15IT() {
        super(15);
    }
}
