package dev.cellar.cli;

import dev.cellar.app.VerifyService;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.AuditLog;
import dev.cellar.verify.BackupCheck;
import dev.cellar.verify.CopyReport;
import dev.cellar.verify.ForeignKeyCheck;
import dev.cellar.verify.RestoreTestReport;
import dev.cellar.verify.TableCheck;
import dev.cellar.verify.VerifyReport;
import dev.cellar.verify.WalArchiveReport;
import dev.cellar.wal.WalInventory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = {"Check that backups can be restored.",
                "Without --restore-test: re-read every object the backups need (manifests and chunks), "
                        + "authenticate and re-hash each one, and with --all also the repository header, keys and the "
                        + "audit chain. Reports every damaged object and the backups it breaks. Reads the repository only; "
                        + "needs no database. With --restore-test: restore the backup into a scratch database on the "
                        + "configured server, compare every table's row count with the count recorded at backup time, "
                        + "check every foreign key for orphans, and drop the scratch database. Exit code 13 on any "
                        + "mismatch or damage."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Parameters(arity = "0..*", paramLabel = "ID", description = "Backups to verify (default with no --all: latest).")
    List<String> ids = List.of();

    @Option(names = "--all", description = "Verify every backup and the repository's own records.")
    boolean all;

    @Option(names = "--wal", description = "Verify the WAL archive: every file authenticated, no gap inside a timeline, "
            + "every physical backup's own WAL range present (also part of --all).")
    boolean wal;

    @Option(names = "--restore-test", paramLabel = "ID", description = "Restore this backup (or 'latest') into a scratch database and check it.")
    String restoreTest;

    @Option(names = "--on-staging", description = "With --restore-test: restore into a scratch database on the staging server of "
            + "verify.staging.host instead of the database server (docs/verify.md).")
    boolean onStaging;

    @Option(names = "--maintenance-db", paramLabel = "NAME", defaultValue = "postgres",
            description = "Database to connect to for creating the scratch database (default: ${DEFAULT-VALUE}).")
    String maintenanceDatabase;

    @Option(names = "--repair", description = "With several copies of the repository: copy each object missing or damaged "
            + "in one copy from another copy that holds it intact (checked there first). Exit code 13 if something has no "
            + "intact copy anywhere.")
    boolean repair;

    @Mixin
    JobsOption jobs;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            VerifyService service = new VerifyService(context.app());
            service.unlock();
            int workers = jobs.or(context.config().backup());
            if (repair) {
                service.requireSomewhereToRepairFrom();
            }
            if (onStaging && restoreTest == null) {
                throw new CellarException(ErrorCode.USAGE, "--on-staging goes with --restore-test", "cellar verify --restore-test latest --on-staging");
            }
            if (restoreTest == null && service.severalCopies()) {
                return verifyCopies(context, service, workers);
            }
            if (restoreTest != null) {
                if (all || !ids.isEmpty()) {
                    throw new CellarException(ErrorCode.USAGE, "--restore-test takes one backup; do not combine it with --all or ids");
                }
                if (onStaging) {
                    VerifyService.StagingRestoreTestReport staged;
                    try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                        staged = service.restoreTestOnStaging(restoreTest, workers, progress);
                    }
                    context.output().result(staged, "on the " + staged.server() + ":\n" + describe(staged.report()));
                    return context.exitCode(staged.report().ok() ? 0 : ErrorCode.VERIFY_FAILED.exitCode());
                }
                RestoreTestReport report;
                try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                    report = service.restoreTest(restoreTest, maintenanceDatabase, workers, progress);
                }
                context.output().result(report, describe(report));
                return context.exitCode(report.ok() ? 0 : ErrorCode.VERIFY_FAILED.exitCode());
            }
            if (wal && !all && ids.isEmpty()) {
                WalArchiveReport walReport = verifyWal(service, workers);
                context.output().result(walReport, describe(walReport));
                return walReport.ok() ? 0 : ErrorCode.VERIFY_FAILED.exitCode();
            }
            VerifyReport report;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                report = service.verifyBackups(ids, all, repair, workers, progress);
            }
            if (all || wal) {
                WalArchiveReport walReport = verifyWal(service, workers);
                context.output().result(new VerifyService.CompleteReport(report, walReport),
                        describe(report, all) + "\n" + describe(walReport));
                return report.ok() && walReport.ok() ? 0 : ErrorCode.VERIFY_FAILED.exitCode();
            }
            context.output().result(report, describe(report, all));
            return report.ok() ? 0 : ErrorCode.VERIFY_FAILED.exitCode();
        }
    }

    /** Each copy on its own; with --repair, what one copy lacks or holds damaged is copied from another. */
    private int verifyCopies(CommandContext context, VerifyService service, int workers) {
        boolean onlyWal = wal && !all && ids.isEmpty();
        VerifyService.CopiesReport result;
        try (TerminalProgress progress = TerminalProgress.forTerminal()) {
            result = service.verifyCopies(ids, all, onlyWal, all || wal, repair, workers, progress);
        }
        List<CopyReport> reports = result.copies();
        AuditLog.JoinResult auditRepaired = result.auditRepaired();
        StringBuilder text = new StringBuilder();
        if (auditRepaired != null) {
            auditRepaired.replaced().forEach(r -> text.append("REPAIRED ").append(r).append('\n'));
        }
        if (auditRepaired != null && (auditRepaired.recordsCopied() > 0 || auditRepaired.joined() != null)) {
            text.append("REPAIRED audit trail: ").append(auditRepaired.recordsCopied()).append(" record(s) copied into the copies lacking them")
                    .append(auditRepaired.joined() == null ? "" : ", " + auditRepaired.branches() + " branches joined by record "
                            + auditRepaired.joined().sequence()).append('\n');
        }
        if (auditRepaired != null) {
            auditRepaired.notCopied().forEach(n -> text.append("NOT COPIED ").append(n).append('\n'));
        }
        for (CopyReport copy : reports) {
            text.append("== copy ").append(copy.name()).append(" (").append(copy.location()).append(")\n");
            if (!copy.reached()) {
                text.append("UNREACHABLE: not verified (").append(copy.unreachable()).append(")\n");
                continue;
            }
            copy.auditNotInCopy().forEach(a -> text.append("absent   ").append(a).append('\n'));
            copy.repaired().forEach(r -> text.append("REPAIRED ").append(r.key()).append(" from ").append(r.from()).append('\n'));
            copy.unrepaired().forEach(u -> text.append("NO GOOD COPY ").append(u).append('\n'));
            copy.notInCopy().forEach(id -> text.append("absent   ").append(id).append(" (run 'cellar repo sync')\n"));
            if (!onlyWal) {
                text.append(describe(copy.backups(), all)).append('\n');
            }
            if (copy.wal() != null) {
                text.append(describe(copy.wal())).append('\n');
            }
        }
        boolean ok = result.ok();
        long damaged = reports.stream().filter(r -> !r.ok()).count();
        List<String> unreached = reports.stream().filter(r -> !r.reached()).map(CopyReport::name).toList();
        text.append(!ok ? "VERIFICATION FAILED in " + damaged + " of " + reports.size() + " copies"
                        : unreached.isEmpty() ? "every copy verified"
                        : "verified " + (reports.size() - unreached.size()) + " of " + reports.size() + " copies; NOT REACHED: "
                                + String.join(", ", unreached) + " (exit code " + ErrorCode.PARTIAL.exitCode() + "; verify again once it answers)")
                .append(repair ? ", " + reports.stream().mapToInt(r -> r.repaired().size()).sum() + " object(s) repaired" : "");
        if (!ok && !repair) {
            text.append("\nHINT: 'cellar verify --repair' copies what one copy lacks from another that holds it intact");
        }
        context.output().result(result, text.toString());
        if (!ok) {
            return ErrorCode.VERIFY_FAILED.exitCode();
        }
        return unreached.isEmpty() ? context.exitCode(0) : ErrorCode.PARTIAL.exitCode();
    }

    private static WalArchiveReport verifyWal(VerifyService service, int workers) {
        try (TerminalProgress progress = TerminalProgress.forTerminal()) {
            return service.verifyWal(workers, progress);
        }
    }

    private static String describe(WalArchiveReport report) {
        StringBuilder text = new StringBuilder();
        for (WalInventory.TimelineRange t : report.inventory().timelines()) {
            text.append(String.format(Locale.ROOT, "WAL      timeline %d: %s .. %s, %d segment(s)%s%s%n", t.timeline(),
                    t.first() == null ? "-" : t.first(), t.last() == null ? "-" : t.last(), t.segments(),
                    t.partials() > 0 ? ", " + t.partials() + " partial" : "", t.history() ? ", history file" : ""));
        }
        report.inventory().gaps().forEach(g -> text.append("GAP      ").append(g).append('\n'));
        report.backupsLackingWal().forEach(b -> text.append("MISSING  ").append(b).append('\n'));
        report.damaged().forEach(d -> text.append("DAMAGED  ").append(d).append('\n'));
        text.append(String.format(Locale.ROOT, "%s: %d WAL file(s) (%s) read and authenticated",
                report.ok() ? "WAL archive verified" : "WAL ARCHIVE VERIFICATION FAILED", report.filesChecked(), Output.bytes(report.bytesChecked())));
        return text.toString();
    }

    private static String describe(VerifyReport report, boolean all) {
        StringBuilder text = new StringBuilder();
        for (BackupCheck backup : report.backups()) {
            text.append(backup.ok() ? "ok       " : "DAMAGED  ").append(backup.backupId());
            if (!backup.ok()) {
                text.append(": ").append(backup.problem() == null ? "" : backup.problem());
                backup.damagedObjects().forEach(o -> text.append("\n           ").append(o));
            }
            text.append('\n');
        }
        report.repositoryProblems().forEach(p -> text.append("REPOSITORY ").append(p).append('\n'));
        report.auditProblems().forEach(p -> text.append("AUDIT    ").append(p).append('\n'));
        report.locks().forEach(l -> text.append("note     lock held: ").append(l).append('\n'));
        if (report.worm().lockedBackups() > 0) {
            text.append(String.format(Locale.ROOT, "WORM     %d locked backup(s), retained until %s%s%n", report.worm().lockedBackups(),
                    report.worm().earliestUntil(), report.worm().latestUntil().equals(report.worm().earliestUntil()) ? ""
                            : " .. " + report.worm().latestUntil()));
        }
        report.worm().problems().forEach(p -> text.append("LOCK     ").append(p).append('\n'));
        report.hidden().forEach(h -> text.append("HIDDEN   ").append(h.key()).append(": ").append(h.describe()).append('\n'));
        report.missingBackups().forEach(m -> text.append("MISSING  ").append(m).append('\n'));
        report.restored().forEach(h -> text.append("RESTORED ").append(h.key()).append(" from its version ").append(h.versionId())
                .append(h.retention() == null ? "" : ", locked until " + h.retention().retainUntil()).append('\n'));
        if (!report.hidden().isEmpty()) {
            text.append("HINT: another client hid these objects (a DELETE or PUT on the bucket with Cellar's key or another);"
                    + " 'cellar verify --repair' makes their intact versions current again; then find out who did it\n");
        }
        text.append(String.format(Locale.ROOT, "%s: %d backup(s), %d chunks (%s) read and authenticated in %s%s",
                report.ok() ? "verified" : "VERIFICATION FAILED", report.backups().size(), report.chunksChecked(),
                Output.bytes(report.bytesChecked()), Output.seconds(report.duration()), all ? ", header, keys and audit chain checked" : ""));
        return text.toString();
    }

    private static String describe(RestoreTestReport report) {
        StringBuilder text = new StringBuilder();
        text.append("restored backup ").append(report.backupId()).append(" into scratch database ").append(report.scratchDatabase())
                .append(" in ").append(Output.seconds(report.restoreTime())).append(" (dropped again)\n");
        text.append(String.format(Locale.ROOT, "%-48s %14s %14s%n", "TABLE", "AT BACKUP", "RESTORED"));
        for (TableCheck t : report.tables()) {
            text.append(String.format(Locale.ROOT, "%-48s %14d %14s%s%n", t.table(), t.expectedRows(),
                    t.present() ? Long.toString(t.actualRows()) : "missing", t.ok() ? "" : "  MISMATCH"));
        }
        long broken = report.brokenForeignKeys().size();
        text.append(report.foreignKeys().size()).append(" foreign keys checked for orphan rows, ").append(broken).append(" broken\n");
        for (ForeignKeyCheck fk : report.brokenForeignKeys()) {
            text.append("  ").append(fk.table()).append(' ').append(fk.constraint()).append(": ").append(fk.orphans())
                    .append(" orphan rows (no match in ").append(fk.referencedTable()).append(")\n");
        }
        text.append(report.ok() ? "restore test passed" : "RESTORE TEST FAILED").append(" in ").append(Output.seconds(report.totalTime()));
        return text.toString();
    }
}
