package dev.cellar.web.ui;

import dev.cellar.drill.DrillSummary;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupManifest;
import dev.cellar.web.api.StoredReports;
import dev.cellar.web.auth.Permission;
import dev.cellar.web.auth.Principal;
import dev.cellar.web.auth.Role;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the services' records into what the templates print: formatted figures, and which buttons the
 * principal's role may see (a page never shows a button the role cannot use).
 */
final class PageModels {
    private PageModels() {
    }

    static Map<String, Object> page(String title, String nav, Principal principal, Instant now) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("nav", Map.of(nav, true));
        model.put("user", principal.user());
        model.put("role", principal.role().id());
        model.put("can", can(principal));
        model.put("madeAt", Formats.instant(now));
        return model;
    }

    static Map<String, Boolean> can(Principal principal) {
        Map<String, Boolean> can = new HashMap<>();
        can.put("runBackup", principal.allows(Permission.RUN_BACKUP));
        can.put("verify", principal.allows(Permission.RUN_VERIFY));
        can.put("ack", principal.allows(Permission.ACK_ALERT));
        can.put("restore", principal.allows(Permission.RESTORE));
        can.put("approve", principal.allows(Permission.APPROVE));
        can.put("manageUsers", principal.allows(Permission.MANAGE_USERS));
        can.put("readAudit", principal.allows(Permission.READ_AUDIT));
        return can;
    }

    static void status(Map<String, Object> model, StatusBoard board) {
        model.put("at", Formats.instant(board.at()));
        model.put("observed", board.observed());
        model.put("critical", board.count("CRITICAL"));
        model.put("warning", board.count("WARNING"));
        model.put("ok", board.count("OK"));
        model.put("rows", board.rows().stream().map(r -> {
            Map<String, Object> row = new HashMap<>();
            row.put("database", r.database());
            row.put("backupType", r.backupType());
            row.put("status", r.status());
            row.put("statusClass", r.status().toLowerCase(Locale.ROOT));
            row.put("lastSuccess", r.lastSuccess() == null ? "never" : Formats.instant(r.lastSuccess()));
            row.put("lastSuccessIso", Formats.iso(r.lastSuccess()));
            row.put("age", r.age() == null ? null : Formats.duration(r.age()));
            row.put("rpo", r.rpo() == null ? "nothing to restore" : Formats.duration(r.rpo()));
            row.put("objective", Formats.duration(r.rpoObjective()));
            row.put("rpoMet", r.rpoMet());
            row.put("walLag", r.walLag() == null ? "not observed" : Formats.duration(r.walLag()));
            row.put("copiesBehind", r.copiesBehind() == null ? "not observed" : r.copiesBehind().toString());
            row.put("nextRun", r.nextRun() == null ? "not scheduled" : Formats.instant(r.nextRun()));
            row.put("backupVals", Json.forScript(Map.of("database", r.database(), "type", r.backupType())));
            return row;
        }).toList());
    }

    /** The drills page: newest first, each verdict as a word with its colour, and RTO and RPO over time when any drill ran. */
    static void drills(Map<String, Object> model, List<DrillSummary> drills) {
        model.put("charts", !drills.isEmpty());
        model.put("passedCount", drills.stream().filter(DrillSummary::passed).count());
        model.put("failedCount", drills.stream().filter(d -> !d.passed()).count());
        model.put("drills", drills.stream().map(d -> {
            Map<String, Object> row = new HashMap<>();
            row.put("id", d.id());
            row.put("database", d.database());
            row.put("started", Formats.instant(d.started()));
            row.put("startedIso", Formats.iso(d.started()));
            row.put("verdict", d.passed() ? "passed" : "failed");
            row.put("verdictClass", d.passed() ? "ok" : "critical");
            row.put("rto", Formats.duration(d.rto()));
            row.put("rtoObjective", d.rtoObjective() == null ? null : Formats.duration(d.rtoObjective()));
            row.put("rpo", d.rpo() == null ? "not measured (no physical restore)" : Formats.duration(d.rpo()));
            row.put("rpoObjective", d.rpo() == null || d.rpoObjective() == null ? null : Formats.duration(d.rpoObjective()));
            row.put("failures", d.failures() == null ? List.of() : d.failures());
            row.put("hasFailures", d.failures() != null && !d.failures().isEmpty());
            return row;
        }).toList());
        model.put("chartList", drills.isEmpty() ? List.of() : List.of(ChartOptions.drills(drills)));
    }

    /** The audit reports page: newest first, each with its verdict and the number of failures. */
    static void reports(Map<String, Object> model, List<StoredReports.ReportListing> reports) {
        model.put("reports", reports.stream().map(r -> {
            Map<String, Object> row = new HashMap<>();
            row.put("kind", r.kind());
            row.put("id", r.id());
            row.put("period", r.period());
            row.put("database", r.database() == null ? "all databases" : r.database());
            row.put("created", Formats.instant(r.created()));
            row.put("verdict", r.passed() ? "passed" : "failed");
            row.put("verdictClass", r.passed() ? "ok" : "critical");
            row.put("failures", r.failures());
            return row;
        }).toList());
    }

    static void history(Map<String, Object> model, List<String> databases, String database, int days, History history,
            int deviationPercent) {
        model.put("charts", history != null);
        model.put("databases", databases.stream().map(d -> Map.of("name", d, "selected", d.equals(database))).toList());
        model.put("windows", HistoryService.WINDOWS.stream().sorted().map(d -> Map.of("days", d, "selected", d == days)).toList());
        if (history == null) {
            return;
        }
        model.put("database", database);
        model.put("from", Formats.instant(history.from()));
        model.put("to", Formats.instant(history.to()));
        model.put("backupCount", history.backups().size());
        model.put("outside", history.backups().stream().filter(History.BackupPoint::outsideBand).count());
        model.put("failedChecks", history.checks().stream().filter(c -> !c.passed()).count());
        model.put("chartList", ChartOptions.of(history, deviationPercent));
    }

    static void alerts(Map<String, Object> model, List<AlertLine> alerts) {
        model.put("openCount", alerts.stream().filter(a -> a.state().equals(AlertLine.OPEN)).count());
        model.put("ackCount", alerts.stream().filter(a -> a.state().equals(AlertLine.ACKNOWLEDGED)).count());
        model.put("resolvedCount", alerts.stream().filter(a -> a.state().equals(AlertLine.RESOLVED)).count());
        model.put("alerts", alerts.stream().map(a -> {
            Map<String, Object> line = new HashMap<>();
            line.put("id", a.id());
            line.put("state", a.state());
            boolean critical = "critical".equals(a.severity());
            boolean resolved = a.state().equals(AlertLine.RESOLVED);
            line.put("severityWord", a.severity().toUpperCase(Locale.ROOT));
            line.put("severityClass", resolved ? "resolved" : critical ? "critical" : "warning");
            line.put("summary", a.summary());
            line.put("details", a.details());
            line.put("action", a.action());
            line.put("openedAt", Formats.instant(a.openedAt()));
            line.put("resolvedAt", a.resolvedAt() == null ? null : Formats.instant(a.resolvedAt()));
            line.put("acknowledgedBy", a.acknowledgedBy());
            line.put("ackable", a.state().equals(AlertLine.OPEN));
            return line;
        }).toList());
    }

    static void schedules(Map<String, Object> model, List<ScheduleLine> lines) {
        model.put("jobs", lines.stream().map(l -> {
            Map<String, Object> job = new HashMap<>();
            job.put("key", l.key());
            job.put("database", l.database() == null ? "all" : l.database());
            job.put("schedule", l.schedule());
            job.put("next", l.nextRuns().stream().map(Formats::instant).toList());
            job.put("lastStatus", l.lastStatus());
            job.put("lastScheduledFor", Formats.instant(l.lastScheduledFor()));
            job.put("lastError", l.lastError());
            return job;
        }).toList());
    }

    static Map<String, Object> backup(CatalogBackup b) {
        Map<String, Object> row = new HashMap<>();
        row.put("backupId", b.backupId());
        row.put("database", b.database());
        row.put("type", b.physicalType() == null ? b.backupType() : b.backupType() + " " + b.physicalType());
        row.put("status", b.status());
        row.put("error", b.error());
        row.put("startedAt", Formats.instant(b.startedAt()));
        row.put("finishedAt", Formats.instant(b.finishedAt()));
        row.put("size", Formats.bytes(b.sizeBytes()));
        row.put("stored", Formats.bytes(b.storedBytes()));
        row.put("duration", Formats.duration(b.duration()));
        row.put("copies", b.copies() == null ? "not observed" : b.copies().toString());
        row.put("runBy", b.runBy());
        row.put("expiredAt", b.expiredAt() == null ? null : Formats.instant(b.expiredAt()));
        return row;
    }

    static void tables(Map<String, Object> model, BackupManifest manifest) {
        List<Map<String, Object>> tables = new ArrayList<>();
        for (BackupManifest.TableEntry t : manifest.tables()) {
            tables.add(Map.of("name", t.schema() + "." + t.name(), "rows", String.format(Locale.ROOT, "%,d", t.rows()),
                    "indexes", t.indexes().size()));
        }
        model.put("tables", tables);
        model.put("hasTables", !tables.isEmpty());
        model.put("noTables", tables.isEmpty());
    }

    static void audit(Map<String, Object> model, AuditLog.AuditReport report, AuditFilter filter) {
        model.put("intact", report.intact());
        model.put("problems", report.problems());
        model.put("total", report.records().size());
        model.put("records", filter.apply(report.records()).stream().map(PageModels::auditLine).toList());
    }

    static Map<String, Object> filter(AuditFilter filter) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("user", filter.user());
        shown.put("operation", filter.operation());
        shown.put("from", filter.from() == null ? null : filter.from().toString());
        shown.put("to", filter.to() == null ? null : filter.to().toString());
        return shown;
    }

    private static Map<String, Object> auditLine(AuditRecord r) {
        Map<String, Object> line = new HashMap<>();
        line.put("sequence", r.sequence());
        line.put("time", Formats.instant(r.time()));
        line.put("user", r.user());
        line.put("host", r.host());
        line.put("operation", r.operation());
        line.put("target", r.target());
        line.put("result", r.result());
        line.put("detail", r.detail());
        return line;
    }

    static List<String> roles() {
        return Arrays.stream(Role.values()).map(Role::id).toList();
    }

    static LocalDate date(String text) {
        return text == null || text.isBlank() ? null : LocalDate.parse(text.trim());
    }
}
