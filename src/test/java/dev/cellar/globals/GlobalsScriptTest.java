package dev.cellar.globals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.globals.GlobalsScript.Membership;
import org.junit.jupiter.api.Test;

class GlobalsScriptTest {
    /** Shaped like pg_dumpall --globals-only of PostgreSQL 15 (written for this test). */
    static final String SCRIPT = """
            --
            -- PostgreSQL database cluster dump
            --

            \\restrict k3y

            SET default_transaction_read_only = off;
            SET client_encoding = 'UTF8';
            SET standard_conforming_strings = on;

            CREATE ROLE "Front Desk";
            ALTER ROLE "Front Desk" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;
            CREATE ROLE clerk;
            ALTER ROLE clerk WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3 PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a2V5:c2Vydg==' VALID UNTIL '2031-01-01 00:00:00+00';
            COMMENT ON ROLE clerk IS 'works nights; mostly
            weekends';
            CREATE ROLE postgres;
            ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;

            ALTER ROLE clerk SET search_path TO 'hotel', 'public';

            GRANT "Front Desk" TO clerk WITH ADMIN OPTION GRANTED BY postgres;
            GRANT pg_read_all_stats TO "Front Desk" GRANTED BY postgres;

            GRANT SET ON PARAMETER log_statement TO clerk;

            CREATE TABLESPACE fast OWNER postgres LOCATION '/srv/fast';
            COMMENT ON TABLESPACE fast IS 'nvme';
            GRANT ALL ON TABLESPACE fast TO clerk;

            \\unrestrict k3y
            """;

    @Test
    void statementsAreSortedByTheRoleTheyAreAbout() {
        GlobalsScript script = GlobalsScript.parse(SCRIPT);

        assertThat(script.roles().keySet()).containsExactly("Front Desk", "clerk", "postgres");
        GlobalsScript.RoleStatements clerk = script.roles().get("clerk");
        assertThat(SqlScript.Statement.render(clerk.attributes())).contains("CONNECTION LIMIT 3").contains("PASSWORD 'SCRAM");
        assertThat(clerk.others()).containsExactly(
                "COMMENT ON ROLE clerk IS 'works nights; mostly\nweekends';",
                "ALTER ROLE clerk SET search_path TO 'hotel', 'public';",
                "GRANT SET ON PARAMETER log_statement TO clerk;");
        assertThat(script.unrecognised()).isEmpty();
    }

    @Test
    void membershipsKeepTheirOptionsAndGrantor() {
        GlobalsScript script = GlobalsScript.parse(SCRIPT);

        assertThat(script.memberships()).extracting(Membership::role, Membership::member, Membership::grantor).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Front Desk", "clerk", "postgres"),
                org.assertj.core.groups.Tuple.tuple("pg_read_all_stats", "Front Desk", "postgres"));
        Membership admin = script.memberships().get(0);
        assertThat(admin.sql(true)).isEqualTo("GRANT \"Front Desk\" TO \"clerk\" WITH ADMIN OPTION GRANTED BY \"postgres\";");
        assertThat(admin.sql(false)).isEqualTo("GRANT \"Front Desk\" TO \"clerk\" WITH ADMIN OPTION;");
    }

    @Test
    void tablespaceStatementsStayTogether() {
        GlobalsScript script = GlobalsScript.parse(SCRIPT);

        assertThat(script.tablespaces().get("fast")).containsExactly("CREATE TABLESPACE fast OWNER postgres LOCATION '/srv/fast';",
                "COMMENT ON TABLESPACE fast IS 'nvme';", "GRANT ALL ON TABLESPACE fast TO clerk;");
    }
}
