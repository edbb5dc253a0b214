package dev.cellar.web.api;

import dev.cellar.web.auth.Permission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The route table of the REST API against the URL contract and the role table's rules. */
class ApiRouteTableTest {
    private static final List<ApiRoute> ROUTES = UnconnectedApi.routes().routeTable().routes();

    @Test
    void onlyTheOpenApiDocumentIsOpen() {
        assertThat(ROUTES.stream().filter(ApiRoute::open).map(ApiRoute::toString)).containsExactly("GET /api/openapi.json");
    }

    @Test
    void destructiveRoutesNeedMaintainRestoreOrAdministration() {
        Set<Permission> strong = Set.of(Permission.MAINTAIN, Permission.RESTORE, Permission.APPROVE, Permission.MANAGE_USERS,
                Permission.CONFIGURE, Permission.ERASE_PERSONAL_DATA);
        List<ApiRoute> destructive = ROUTES.stream().filter(ApiRoute::destructive).toList();
        assertThat(destructive).extracting(ApiRoute::toString)
                .containsExactlyInAnyOrder("POST /api/expire", "POST /api/gc", "POST /api/unlock", "POST /api/operations/{id}/approve",
                        "POST /api/gdpr/erasures/now");
        assertThat(destructive).allSatisfy(r -> assertThat(strong).contains(r.permission()));
        assertThat(ApiRoutes.RESTORE_OVER_EXISTING.destructive()).isTrue();
        assertThat(strong).contains(ApiRoutes.RESTORE_OVER_EXISTING.permission());
    }

    @Test
    void everyRouteOfTheContractsApiPartIsInTheTable() {
        assertThat(ROUTES).extracting(ApiRoute::toString).containsExactlyInAnyOrder(
                "GET /api/openapi.json", "GET /api/status", "GET /api/catalog/history", "POST /api/catalog/rebuild",
                "GET /api/backups", "GET /api/backups/{id}", "POST /api/backups", "POST /api/verify", "POST /api/restores",
                "POST /api/expire", "POST /api/gc", "POST /api/unlock", "POST /api/sync", "GET /api/schedules", "GET /api/alerts",
                "POST /api/alerts/{id}/ack", "GET /api/audit", "GET /api/operations", "GET /api/operations/{id}",
                "GET /api/operations/{id}/events", "POST /api/operations/{id}/approve", "POST /api/operations/{id}/reject",
                "GET /api/gdpr/erasures", "POST /api/gdpr/erasures", "POST /api/gdpr/erasures/now",
                "GET /api/drills", "GET /api/drills/{id}", "GET /api/drills/{id}/report.html",
                "GET /api/reports", "GET /api/reports/{kind}/{id}", "GET /api/reports/{kind}/{id}/report.html");
    }

    @Test
    void readsNeedReadExceptTheAuditTrailAndChangesNeedMoreThanRead() {
        // the audit trail, the erasure requests and the audit reports are for auditors, not for every reader
        Set<String> auditReads = Set.of("/api/audit", "/api/gdpr/erasures", "/api/reports", "/api/reports/{kind}/{id}",
                "/api/reports/{kind}/{id}/report.html");
        assertThat(ROUTES.stream().filter(r -> !r.open() && !r.changesState()))
                .allSatisfy(r -> assertThat(r.permission()).isEqualTo(auditReads.contains(r.path()) ? Permission.READ_AUDIT : Permission.READ));
        assertThat(ROUTES.stream().filter(ApiRoute::changesState))
                .allSatisfy(r -> assertThat(r.permission()).isNotIn(Permission.READ, Permission.READ_AUDIT, null));
    }

    @Test
    void approvalAndRejectionNeedTheApprovePermission() {
        assertThat(ROUTES.stream().filter(r -> r.path().endsWith("/approve") || r.path().endsWith("/reject")))
                .hasSize(2).allSatisfy(r -> assertThat(r.permission()).isEqualTo(Permission.APPROVE));
    }

    @Test
    void aRouteCannotBeDeclaredTwice() {
        ApiRouteTable table = new ApiRouteTable();
        ApiRouteTable.Entry entry = new ApiRouteTable.Entry(new ApiRoute("GET", "/api/x", Permission.READ, false, "x", "t"), ctx -> { },
                List.of(), java.util.Map.of(), false);
        table.add(entry);
        assertThatThrownBy(() -> table.add(entry)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /api/x");
    }
}
