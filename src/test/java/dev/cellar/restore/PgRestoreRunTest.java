package dev.cellar.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PgRestoreRunTest {

    @Test
    void firstErrorIsTheCauseNotTheLastLines() {
        List<String> stderr = List.of(
                "pg_restore: error: could not execute query: ERROR:  cannot drop table \"Ledger\".\"Account\" because other objects depend on it",
                "DETAIL:  view \"Ledger\".\"ActiveAccounts\" depends on table \"Ledger\".\"Account\"",
                "HINT:  Use DROP ... CASCADE to drop the dependent objects too.",
                "Command was: DROP TABLE IF EXISTS \"Ledger\".\"Account\";",
                "",
                "",
                "pg_restore: error: could not execute query: ERROR:  could not create unique index \"Account_pkey\"",
                "DETAIL:  Key (\"AccountId\")=(1000) is duplicated.",
                "pg_restore: warning: errors ignored on restore: 2");

        assertThat(PgRestoreRun.firstError(stderr)).isEqualTo(String.join("\n", stderr.subList(0, 4)));
    }

    @Test
    void theTocEntryBeforeTheErrorIsQuoted() {
        List<String> stderr = List.of(
                "pg_restore: while PROCESSING TOC:",
                "pg_restore: from TOC entry 218; 1259 16395 TABLE Account ledger_owner",
                "pg_restore: error: could not execute query: ERROR:  role \"ledger_owner\" does not exist",
                "Command was: ALTER TABLE \"Ledger\".\"Account\" OWNER TO ledger_owner;");

        assertThat(PgRestoreRun.firstError(stderr)).isEqualTo(String.join("\n", stderr.subList(1, 4)));
    }

    @Test
    void aLongCommandIsCut() {
        List<String> stderr = new java.util.ArrayList<>(List.of("pg_restore: error: could not execute query: ERROR:  syntax error",
                "Command was: CREATE VIEW v AS"));
        for (int i = 0; i < 40; i++) {
            stderr.add("    SELECT " + i + " AS column_" + i + " UNION ALL");
        }

        assertThat(PgRestoreRun.firstError(stderr).lines()).hasSize(12);
    }

    @Test
    void aKilledPgRestoreSaysSo() {
        assertThat(PgRestoreRun.firstError(List.of())).contains("killed");
    }
}
