package dev.cellar.cli;

import dev.cellar.app.KeyRotationService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rotate", header = "Add a new data key; everything written from now on is sealed with it.",
        description = {"Add a new data key to the repository's keyring. Backups, manifests and WAL written from now on are sealed with it; "
                + "objects sealed with older keys still open, because every key stays in the keyring. Key slots are not changed: every "
                + "passphrase, key file, HSM or KMS slot keeps opening the repository.",
                "With --reencrypt, then rewrites every older object with the new key (the same as 'cellar key reencrypt', "
                        + "which resumes a re-encryption that was stopped). Chunk ids do not change, so deduplication goes on across "
                        + "the rotation. Objects under WORM retention keep their key until their date; they are listed."},
        footer = {"", "Examples:", "  cellar key rotate                 # new key for new objects; old ones keep theirs",
                "  cellar key rotate --reencrypt     # and rewrite the old ones now (safe to stop and run 'cellar key reencrypt' later)"})
final class KeyRotateCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    JobsOption jobs;

    @Option(names = "--reencrypt", description = "Also rewrite every object sealed with an older key (resumable: 'cellar key reencrypt').")
    boolean reencrypt;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            KeyRotationService service = new KeyRotationService(context.app());
            KeyRotationService.Rotated rotated = service.rotate();
            String text = "data key " + rotated.added().id() + " added: everything written from now on is sealed with it.\n"
                    + "objects sealed with data key " + rotated.previousKeyId() + (rotated.previousKeyId() > 0 ? " and older" : "")
                    + " still open; " + (reencrypt ? "re-encrypting them now.\n" : "run 'cellar key reencrypt' to rewrite them with the new key.\n");
            Output output = new Output(System.out, common.json);
            if (!reencrypt) {
                output.result(rotated, text);
                return 0;
            }
            if (!output.json()) {
                System.out.print(text);
            }
            KeyRotationService.ReencryptRun run;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                run = service.reencrypt(jobs.or(context.config().backup()), progress);
            }
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("rotated", rotated);
            both.put("reencrypted", run);
            output.result(both, ReencryptText.of(run));
            return ReencryptText.exitCode(run);
        }
    }
}
