package dev.cellar.it;

/** The version matrix on PostgreSQL 18: data checksums on by default; newer than the machine's client programs. */
class PostgreSql18IT extends PostgresMajorRoundTripContract {
    PostgreSql18IT() {
        super(18);
    }
}
