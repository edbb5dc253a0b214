package dev.cellar.cli;

import dev.cellar.app.KeyRotationService;
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
            Output output = new Output(System.out, common.json);
            if (!reencrypt) {
                KeyRotationService.Rotated rotated = service.rotate();
                output.result(rotated, text(rotated) + "run 'cellar key reencrypt' to rewrite them with the new key.\n");
                return 0;
            }
            KeyRotationService.RotatedAndReencrypted both;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                both = service.rotateAndReencrypt(jobs.or(context.config().backup()), progress);
            }
            output.result(both, text(both.rotated()) + "re-encrypted now:\n" + ReencryptText.of(both.reencrypted()));
            KeyRotationService.ReencryptRun run = both.reencrypted();
            return ReencryptText.exitCode(run);
        }
    }

    private static String text(KeyRotationService.Rotated rotated) {
        return "data key " + rotated.added().id() + " added: everything written from now on is sealed with it.\n"
                + "objects sealed with data key " + rotated.previousKeyId() + (rotated.previousKeyId() > 0 ? " and older" : "")
                + " still open; ";
    }
}
