package dev.cellar.globals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleCreationPlanTest {
    private static final GlobalsScript SCRIPT = GlobalsScript.parse(GlobalsScriptTest.SCRIPT);

    @Test
    void createsOnlyMissingRolesWithAttributesCommentAndSettingsButNoPassword() {
        RoleCreationPlan plan = RoleCreationPlan.of(SCRIPT, List.of("clerk", "postgres"), Set.of("postgres"), false, true);

        assertThat(plan.rolesCreated()).containsExactly("clerk");
        assertThat(plan.statements()).first().isEqualTo("CREATE ROLE \"clerk\";");
        assertThat(plan.statements()).anySatisfy(s -> assertThat(s).startsWith("ALTER ROLE \"clerk\" WITH NOSUPERUSER")
                .contains("CONNECTION LIMIT 3 VALID UNTIL '2031-01-01 00:00:00+00'").doesNotContain("PASSWORD").doesNotContain("SCRAM"));
        assertThat(plan.statements()).contains("ALTER ROLE clerk SET search_path TO 'hotel', 'public';",
                "GRANT SET ON PARAMETER log_statement TO clerk;");
        assertThat(plan.statements()).noneMatch(s -> s.contains("postgres WITH"));
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("without their password").contains("clerk"));
    }

    @Test
    void passwordsComeBackOnlyWhenAsked() {
        RoleCreationPlan plan = RoleCreationPlan.of(SCRIPT, List.of("clerk"), Set.of("postgres"), true, true);

        assertThat(plan.statements()).anySatisfy(s -> assertThat(s).contains("PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a2V5:c2Vydg=='"));
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void askingForPasswordsABackupDoesNotHaveSaysSo() {
        RoleCreationPlan plan = RoleCreationPlan.of(SCRIPT, List.of("Front Desk"), Set.of("postgres"), true, false);

        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("holds no role passwords"));
    }

    @Test
    void membershipsAreGrantedOnlyWhenTheyInvolveARoleCreatedHere() {
        RoleCreationPlan existingGroup = RoleCreationPlan.of(SCRIPT, List.of("clerk", "Front Desk"), Set.of("postgres", "Front Desk",
                "pg_read_all_stats"), false, true);
        assertThat(existingGroup.membershipsGranted()).containsExactly("Front Desk -> clerk");
        assertThat(existingGroup.statements()).noneMatch(s -> s.startsWith("GRANT \"pg_read_all_stats\""));

        RoleCreationPlan bothExist = RoleCreationPlan.of(SCRIPT, List.of("clerk", "Front Desk"), Set.of("postgres", "clerk", "Front Desk"),
                false, true);
        assertThat(bothExist.statements()).isEmpty();
    }

    @Test
    void aGrantorMissingHereIsLeftOutOfTheGrant() {
        RoleCreationPlan plan = RoleCreationPlan.of(SCRIPT, List.of("clerk", "Front Desk"), Set.of("admin"), false, true);

        assertThat(plan.statements()).contains("GRANT \"Front Desk\" TO \"clerk\" WITH ADMIN OPTION;");
    }

    @Test
    void roleMissingFromTheScriptIsCreatedPlainAndPredefinedRolesNever() {
        RoleCreationPlan plan = RoleCreationPlan.of(SCRIPT, List.of("ghost", "pg_future_role"), Set.of("postgres"), false, true);

        assertThat(plan.rolesCreated()).containsExactly("ghost");
        assertThat(plan.statements()).containsExactly("CREATE ROLE \"ghost\";");
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("ghost").contains("NOLOGIN"))
                .anySatisfy(n -> assertThat(n).contains("pg_future_role"));
    }
}
