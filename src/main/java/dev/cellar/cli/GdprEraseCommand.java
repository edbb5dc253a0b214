package dev.cellar.cli;

import dev.cellar.app.GdprService;
import dev.cellar.lifecycle.erasure.GdprResults;
import dev.cellar.lifecycle.graph.Subject;
import dev.cellar.repo.Actor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "erase", description = {"Record a GDPR erasure request for one data subject of the database, due in 30 days "
        + "(--due-days), or apply it at once (--now).",
        "Applying follows the data policy's personal-data section on every row that belongs to the subject (found through the "
                + "foreign keys): rows deleted, columns nulled or pseudonymised, financial fields kept, in one transaction. "
                + "The erasure ledger in the repository records the request with a keyed hash of the subject, never its id; "
                + "every restore re-applies it. On the command line the OS user is trusted with --now."},
        footer = {"", "Examples:",
                "  cellar gdpr erase -d restaurant_ordering --subject users:42",
                "  cellar gdpr erase -d shop --subject users:42 --now --reason 'ticket 1234'",
                "  cellar gdpr erase --subject employees:7 --due-days 7 --json"})
final class GdprEraseCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--subject", required = true, paramLabel = "TABLE:ID", description = "The data subject: a table of the policy's subjects: and its key, e.g. users:42.")
    String subject;

    @Option(names = "--now", description = "Apply the erasure at once instead of on its due date.")
    boolean now;

    @Option(names = "--due-days", paramLabel = "DAYS", defaultValue = "30", description = "Days until the request is due (0 to 30; default 30).")
    int dueDays;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (a ticket number: the ledger keeps it, so write no name or e-mail).")
    String reason;

    @Mixin
    PolicyOption policy;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            GdprResults.EraseResult result = new GdprService(context.app())
                    .erase(Subject.parse(subject), dueDays, now, reason, Actor.current().user(), policy.file);
            context.output().result(result, render(result));
            return 0;
        }
    }

    private static String render(GdprResults.EraseResult result) {
        StringBuilder text = new StringBuilder();
        var r = result.request();
        if (result.alreadyRequested()) {
            text.append("a request for this subject was already pending: request ").append(r.request()).append('\n');
        }
        text.append(r.appliedAt() != null ? "erased" : "erasure requested").append(": request ").append(r.request()).append(", subject ")
                .append(r.subjectTable()).append(" hash ").append(r.subjectHash(), 0, 16).append("…, rule ").append(r.ruleDigest(), 0, 12)
                .append('\n');
        if (r.appliedAt() != null) {
            text.append("applied ").append(r.appliedAt()).append(": ").append(GdprText.rows(r.rowsChanged())).append('\n');
        } else {
            text.append("due ").append(r.dueAt()).append(" (applied by 'cellar gdpr apply-due', which the server runs daily)\n");
        }
        GdprText.warnings(text, result.warnings());
        return text.toString();
    }
}
