package dev.cellar.cli;

import dev.cellar.app.GdprService;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.erasure.GdprResults;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ledger", subcommands = GdprLedgerCommand.Verify.class, description = "The erasure ledger. See 'cellar gdpr ledger verify --help'.")
final class GdprLedgerCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", description = {"Decrypt every erasure ledger entry and check the chain: numbers without a gap, each entry "
            + "linked to the SHA-256 of the one before, each application pointing at its request.",
            "Exits 0 when the ledger is whole, 13 when an entry is missing, changed or cannot be authenticated."},
            footer = {"", "Examples:", "  cellar gdpr ledger verify", "  cellar gdpr ledger verify --json"})
    static final class Verify implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            try (CommandContext context = CommandContext.load(common, null)) {
                GdprResults.LedgerVerifyResult result = new GdprService(context.app()).verifyLedger();
                StringBuilder text = new StringBuilder();
                text.append("erasure ledger: ").append(result.entries()).append(" entries, ").append(result.requests()).append(" requests, ")
                        .append(result.applied()).append(" applied: ").append(result.intact() ? "chain intact\n" : "PROBLEMS\n");
                result.problems().forEach(p -> text.append("  ").append(p).append('\n'));
                context.output().result(result, text.toString());
                return result.intact() ? 0 : ErrorCode.VERIFY_FAILED.exitCode();
            }
        }
    }
}
