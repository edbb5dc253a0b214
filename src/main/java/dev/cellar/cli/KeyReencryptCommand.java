package dev.cellar.cli;

import dev.cellar.app.KeyRotationService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "reencrypt", header = "Rewrite every object sealed with an older data key with the current one.",
        description = {"Rewrite every chunk, manifest and WAL object sealed with an older data key, with the current one (see "
                + "'cellar key rotate'), on every configured copy. Each object is read, authenticated, sealed again under the same name "
                + "and read back before it counts. Runs beside backups and restores (it takes the shared lock), not beside expire or gc.",
                "Stopping it is safe: run it again and it goes on where it stopped (objects already on the current key are skipped). "
                        + "Objects under WORM retention keep their key until their date; they are listed, and a later run after that "
                        + "date rewrites them. Exit 0 when every object that may be rewritten is on the current key, "
                        + "10 when damaged objects were found (they are left as they are)."},
        footer = {"", "Examples:", "  cellar key reencrypt --jobs 8     # S3: more requests in flight",
                "  cellar key reencrypt --json | jq '.copies[].result.olderKeyObjects'"})
final class KeyReencryptCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    JobsOption jobs;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            KeyRotationService.ReencryptRun run;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                run = new KeyRotationService(context.app()).reencrypt(jobs.or(context.config().backup()), progress);
            }
            new Output(System.out, common.json).result(run, ReencryptText.of(run));
            return ReencryptText.exitCode(run);
        }
    }
}
