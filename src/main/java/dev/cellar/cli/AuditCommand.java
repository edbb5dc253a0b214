package dev.cellar.cli;

import dev.cellar.app.AuditService;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.AuditRecord;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", description = {"List the audit trail: every operation on the repository, who ran it, and its result.",
                "Checks the hash chain and exits 13 if any record was modified, removed or re-ordered."})
final class AuditCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = "--last", paramLabel = "N", description = "Show only the last N records (the whole chain is still checked).")
    Integer last;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            AuditLog.AuditReport report = new AuditService(context.app()).read();
            List<AuditRecord> shown = last == null ? report.records()
                    : report.records().subList(Math.max(0, report.records().size() - last), report.records().size());
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%6s %-24s %-22s %-16s %-8s %s%n",
                    "SEQ", "TIME", "WHO", "OPERATION", "RESULT", "TARGET / DETAIL"));
            for (AuditRecord r : shown) {
                text.append(String.format(Locale.ROOT, "%6d %-24s %-22s %-16s %-8s %s%s%n", r.sequence(), r.time(),
                        r.user() + "@" + r.host(), r.operation(), r.result(), r.target(), r.detail().isEmpty() ? "" : "  " + r.detail()));
            }
            text.append(report.intact() ? "audit chain intact (" + report.records().size() + " records)"
                    : "AUDIT CHAIN BROKEN:\n  " + String.join("\n  ", report.problems()));
            if (!report.unjoined().isEmpty()) {
                text.append("\nnote: the trail has ").append(report.unjoined().size()).append(" branches written apart (copies that could "
                        + "not see each other), ending at records ").append(String.join(", ", report.unjoined().stream()
                        .map(r -> Long.toString(r.sequence())).toList())).append("; 'cellar repo sync' joins them");
            }
            context.output().result(report, text.toString());
            return context.exitCode(report.intact() ? 0 : ErrorCode.VERIFY_FAILED.exitCode());
        }
    }
}
