package dev.cellar.cli;

import dev.cellar.app.GdprService;
import dev.cellar.lifecycle.erasure.GdprResults;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reapply", description = {"Re-apply the erasure ledger to a database restored by other means (or by a PITR restore "
        + "that was not started): every erasure applied to the source database, with the rule recorded for it, in one transaction.",
        "Cellar's own restores do this by themselves before they hand the database over."},
        footer = {"", "Examples:",
                "  cellar gdpr reapply --target-db shop_copy --source-db shop",
                "  cellar gdpr reapply --target-db shop --port 5433   # PITR-restored"})
final class GdprReapplyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--target-db", required = true, paramLabel = "NAME", description = "The restored database to erase in.")
    String targetDb;

    @Option(names = "--source-db", paramLabel = "NAME", description = "Whose erasures apply (default: the target's name).")
    String sourceDb;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            String source = sourceDb != null ? sourceDb : targetDb;
            GdprResults.ReapplyResult result = new GdprService(context.app()).reapply(targetDb, source);
            context.output().result(result, "database " + targetDb + ", ledger of " + source + ": " + GdprText.reapplied(result.reapplication()));
            return 0;
        }
    }
}
