package dev.cellar.cli;

import dev.cellar.app.GdprService;
import dev.cellar.lifecycle.erasure.GdprResults;
import dev.cellar.repo.Actor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "apply-due", description = {"Apply every erasure request whose due date has passed, each in one transaction, "
        + "and record it as applied in the erasure ledger.",
        "Safe to run again after a failure: an erasure applied twice writes the same pseudonyms."},
        footer = {"", "Examples:", "  cellar gdpr apply-due -d restaurant_ordering", "  cellar gdpr apply-due --json"})
final class GdprApplyDueCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            GdprResults.ApplyDueResult result = new GdprService(context.app()).applyDue(Actor.current().user());
            StringBuilder text = new StringBuilder();
            text.append(result.applied().size()).append(" erasure request(s) applied, ").append(result.stillPending())
                    .append(" pending and not due yet\n");
            result.applied().forEach(r -> text.append(GdprText.line(r)));
            GdprText.warnings(text, result.warnings());
            context.output().result(result, text.toString());
            return 0;
        }
    }
}
