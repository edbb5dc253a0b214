package dev.cellar.globals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.globals.RoleClosure.Edge;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleClosureTest {
    // staff_base <- kitchen <- chef (a chain); chef also belongs to wine_club, whose other member is sommelier
    private static final List<Edge> MEMBERSHIPS = List.of(new Edge("staff_base", "kitchen"), new Edge("kitchen", "chef"),
            new Edge("wine_club", "chef"), new Edge("wine_club", "sommelier"), new Edge("pg_read_all_stats", "auditor"));

    @Test
    void aGrantedGroupBringsItsMembersAndWhatTheyBelongTo() {
        assertThat(RoleClosure.of(List.of("kitchen"), MEMBERSHIPS)).containsExactly("chef", "kitchen", "staff_base", "wine_club");
    }

    @Test
    void rolesReachedUpwardsDoNotBringTheirOtherMembers() {
        assertThat(RoleClosure.of(List.of("chef"), MEMBERSHIPS)).doesNotContain("sommelier").contains("wine_club", "staff_base");
    }

    @Test
    void aRoleWithoutMembershipsIsItsOwnClosure() {
        assertThat(RoleClosure.of(List.of("auditor", "loner"), MEMBERSHIPS)).containsExactly("auditor", "loner", "pg_read_all_stats");
    }
}
