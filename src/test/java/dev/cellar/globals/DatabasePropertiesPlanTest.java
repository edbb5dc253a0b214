package dev.cellar.globals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.DatabaseGlobals;
import dev.cellar.repo.DatabaseGlobals.AclEntry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatabasePropertiesPlanTest {
    private static final DatabaseGlobals HOTEL = new DatabaseGlobals("owner", 25, List.of("search_path=hotel, public", "work_mem=8MB"),
            List.of(new DatabaseGlobals.RoleSettings("clerk", List.of("statement_timeout=5s"))),
            List.of(new AclEntry("owner", "owner", "CONNECT", false), new AclEntry("owner", "owner", "CREATE", false),
                    new AclEntry("clerk", "owner", "CONNECT", false), new AclEntry(null, "owner", "TEMPORARY", false),
                    new AclEntry("night", "clerk", "CONNECT", true)),
            "the hotel's; data", List.of("clerk", "night", "owner"), List.of(), List.of());

    @Test
    void givesTheDatabaseItsOwnerLimitSettingsAclAndComment() {
        DatabasePropertiesPlan plan = DatabasePropertiesPlan.of(HOTEL, "Hotel 2", Set.of("owner", "clerk", "night"), false);

        assertThat(plan.statements()).containsExactly(
                "ALTER DATABASE \"Hotel 2\" OWNER TO \"owner\";",
                "ALTER DATABASE \"Hotel 2\" CONNECTION LIMIT 25;",
                "ALTER DATABASE \"Hotel 2\" SET \"search_path\" TO 'hotel', 'public';",
                "ALTER DATABASE \"Hotel 2\" SET \"work_mem\" TO '8MB';",
                "ALTER ROLE \"clerk\" IN DATABASE \"Hotel 2\" SET \"statement_timeout\" TO '5s';",
                "REVOKE ALL ON DATABASE \"Hotel 2\" FROM PUBLIC;",
                "REVOKE ALL ON DATABASE \"Hotel 2\" FROM \"owner\";",
                "GRANT CONNECT, CREATE ON DATABASE \"Hotel 2\" TO \"owner\";",
                "GRANT CONNECT ON DATABASE \"Hotel 2\" TO \"clerk\";",
                "GRANT TEMPORARY ON DATABASE \"Hotel 2\" TO PUBLIC;",
                "SET ROLE \"clerk\";",
                "GRANT CONNECT ON DATABASE \"Hotel 2\" TO \"night\" WITH GRANT OPTION;",
                "RESET ROLE;",
                "COMMENT ON DATABASE \"Hotel 2\" IS 'the hotel''s; data';");
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void withoutOwnershipTheOwnerAndAclAreSkippedAndListed() {
        DatabasePropertiesPlan plan = DatabasePropertiesPlan.of(HOTEL, "hotel", Set.of("owner", "clerk", "night"), true);

        assertThat(plan.statements()).noneMatch(s -> s.contains("OWNER TO") || s.startsWith("GRANT") || s.startsWith("REVOKE")
                        || s.startsWith("ALTER ROLE"))
                .contains("COMMENT ON DATABASE \"hotel\" IS 'the hotel''s; data';");
        assertThat(plan.skipped()).contains("ALTER DATABASE \"hotel\" OWNER TO \"owner\";", "GRANT CONNECT ON DATABASE \"hotel\" TO \"clerk\";",
                "ALTER ROLE \"clerk\" IN DATABASE \"hotel\" SET \"statement_timeout\" TO '5s';");
        assertThat(plan.statements()).contains("ALTER DATABASE \"hotel\" SET \"work_mem\" TO '8MB';");
    }

    @Test
    void settingsAndGrantsOfRolesMissingHereAreSkippedWithANote() {
        DatabasePropertiesPlan plan = DatabasePropertiesPlan.of(HOTEL, "hotel", Set.of("owner"), false);

        assertThat(plan.statements()).noneMatch(s -> s.contains("clerk") || s.contains("night"));
        assertThat(plan.skipped()).contains("ALTER ROLE \"clerk\" IN DATABASE \"hotel\" SET \"statement_timeout\" TO '5s';");
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("clerk"));
    }

    @Test
    void aDefaultAclNeedsNoStatement() {
        DatabaseGlobals plain = new DatabaseGlobals("owner", -1, List.of(), List.of(), null, null, List.of("owner"), List.of(), List.of());

        assertThat(DatabasePropertiesPlan.of(plain, "plain", Set.of("owner"), false).statements())
                .containsExactly("ALTER DATABASE \"plain\" OWNER TO \"owner\";");
    }
}
