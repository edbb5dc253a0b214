package dev.cellar.cli;

import dev.cellar.app.KeyService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "key", subcommands = {KeyListCommand.class, KeyAddCommand.class, KeyRemoveCommand.class, KeyRotateCommand.class, KeyReencryptCommand.class},
        description = {"The repository's key slots: each one opens the same repository key, by a passphrase, a key file, "
                + "a key on an HSM (PKCS#11) or an AWS KMS key. Keep at least two (say KMS for daily use and a passphrase "
                + "kept offline for break-glass). A command unlocks with the first configured of repository.kms.key-id, "
                + "repository.pkcs11.key-label, repository.key-file, the passphrase.",
                "To change a passphrase or key file: 'key add' the new one, then 'key remove' the old slot. See docs/keys.md.",
                "'key rotate' adds a new data key behind the slots (they do not change); 'key reencrypt' rewrites old objects "
                        + "with it. See docs/key-rotation.md."})
final class KeyCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static String line(KeyService.SlotView slot) {
        return String.format("%-16s  %-10s  %-20s  %s%s", slot.id(), slot.kind(), slot.created().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                slot.needs(), slot.unlockedCommand() ? "  (unlocked this command)" : "");
    }
}
