package dev.cellar.cli;

import dev.cellar.app.GdprService;
import dev.cellar.lifecycle.erasure.BeyondUse;
import dev.cellar.lifecycle.erasure.GdprResults;
import dev.cellar.lifecycle.graph.Subject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", description = {"Where a data subject's data still is: its erasure request and state, the backups taken "
        + "before the erasure was applied (they still hold the data, 'beyond use') and the earliest date each ages out under "
        + "the retention settings or its WORM lock, whichever is later."},
        footer = {"", "Examples:", "  cellar gdpr report -d restaurant_ordering --subject users:42",
                "  cellar gdpr report --subject users:42 --json"})
final class GdprReportCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--subject", required = true, paramLabel = "TABLE:ID", description = "The data subject, e.g. users:42.")
    String subject;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            GdprResults.Report report = new GdprService(context.app()).report(Subject.parse(subject));
            StringBuilder text = new StringBuilder();
            text.append("subject ").append(report.subject()).append(" hash ").append(report.subjectHash(), 0, 16).append("…\n");
            text.append(report.request() == null ? "  no erasure request\n" : GdprText.line(report.request()));
            text.append(report.backups().size()).append(" backup(s) still hold the subject's data (beyond use: never restored without "
                    + "re-applying the ledger)\n");
            for (BeyondUse.HoldingBackup b : report.backups()) {
                text.append(String.format("  %-28s %-8s finished %s  ages out %s (%s)%n", b.id(), b.kind(), b.finishedAt(),
                        b.agesOutAt() == null ? "not before a newer backup" : b.agesOutAt().toString(), b.why()));
            }
            text.append(report.walNote()).append('\n').append(report.archivesNote()).append('\n');
            for (GdprResults.HoldingArchive a : report.archives()) {
                text.append(String.format("  archive %-40s created %s  %s%n", a.id(), a.createdAt(),
                        a.lockedUntil() == null ? "not locked" : "locked until " + a.lockedUntil()));
            }
            context.output().result(report, text.toString());
            return 0;
        }
    }
}
