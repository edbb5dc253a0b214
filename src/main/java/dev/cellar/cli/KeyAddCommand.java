package dev.cellar.cli;

import dev.cellar.app.KeyService;
import dev.cellar.app.KeyService.NewSlot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "add", description = {"Add a key slot: unlock the repository with the configured method, seal its key for the new "
        + "method, write the slot, then open it again from storage before saying done.",
        "--pkcs11 uses the token of repository.pkcs11.library, repository.pkcs11.slot or repository.pkcs11.slot-index, with the PIN from "
                + "repository.pkcs11.pin-file, repository.pkcs11.pin-env or CELLAR_HSM_PIN, "
                + "and creates the AES-256 key on the token (sensitive, not extractable) if no key has that label.",
        "--kms uses repository.kms.region, repository.kms.endpoint and the KMS credentials settings with the key given."},
        footer = {"", "Examples:", "  cellar key add --kms arn:aws:kms:eu-west-1:111122223333:key/1234abcd-...",
                "  cellar key add --pkcs11 --label cellar-prod",
                "  cellar key add --passphrase-file new-passphrase.txt   # then: cellar key remove <old passphrase slot>"})
final class KeyAddCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Method method;

    static final class Method {
        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "A new passphrase, read from this file (mode 0600).")
        Path passphraseFile;
        // --key-file is taken: it says how this command itself unlocks (CommonOptions)
        @Option(names = "--existing-key-file", paramLabel = "FILE", description = "An existing key file (not --key-file, which says what "
                + "unlocks this command).")
        Path keyFile;
        @Option(names = "--new-key-file", paramLabel = "FILE", description = "Write a new random key file there (mode 0600), and add it.")
        Path newKeyFile;
        @Option(names = "--pkcs11", description = "A key on the configured HSM token (docs/keys.md).")
        boolean pkcs11;
        @Option(names = "--kms", paramLabel = "KEY-ID", description = "An AWS KMS key (id, ARN or alias/NAME).")
        String kmsKeyId;
    }

    @Option(names = "--label", paramLabel = "LABEL", description = "With --pkcs11: the key's label on the token (default: "
            + "repository.pkcs11.key-label, else '" + KeyService.DEFAULT_HSM_LABEL + "').")
    String label;

    @Override
    public Integer call() {
        NewSlot newSlot = method.passphraseFile != null ? new NewSlot.Passphrase(method.passphraseFile)
                : method.keyFile != null ? new NewSlot.KeyFile(method.keyFile)
                : method.newKeyFile != null ? new NewSlot.NewKeyFile(method.newKeyFile)
                : method.pkcs11 ? new NewSlot.Hsm(label)
                : new NewSlot.Kms(method.kmsKeyId);
        try (CommandContext context = CommandContext.load(common, null)) {
            KeyService.KeyAddResult result = new KeyService(context.app()).add(newSlot);
            context.output().result(result, "added and proved key slot:\n  " + KeyCommand.line(result.added()));
            return 0;
        }
    }
}
