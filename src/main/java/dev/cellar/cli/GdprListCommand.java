package dev.cellar.cli;

import dev.cellar.app.GdprService;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.erasure.GdprResults;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = "List the erasure requests of the ledger with their due dates and states (subjects by hash only).",
        footer = {"", "Examples:", "  cellar gdpr list", "  cellar gdpr list --json"})
final class GdprListCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            GdprResults.ListResult result = new GdprService(context.app()).list();
            StringBuilder text = new StringBuilder();
            text.append(result.requests().size()).append(" erasure request(s)\n");
            result.requests().forEach(r -> text.append(GdprText.line(r)));
            result.ledgerProblems().forEach(p -> text.append("ledger problem: ").append(p).append('\n'));
            context.output().result(result, text.toString());
            return result.ledgerProblems().isEmpty() ? 0 : ErrorCode.VERIFY_FAILED.exitCode();
        }
    }
}
