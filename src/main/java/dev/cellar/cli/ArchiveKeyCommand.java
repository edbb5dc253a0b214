package dev.cellar.cli;

import dev.cellar.lifecycle.archive.ArchiveResults;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "key", header = "Print the archive key in hex, for an auditor's escrow.", description = {"Print the repository's archive key in hex, for an auditor's escrow: with it, docs/read-archive.py "
        + "decrypts any archive of this repository without Cellar. Whoever holds it can read every archived row. The key is derived "
        + "from the repository's data key, so it never changes while the repository exists. The audit log records that it was shown."},
        footer = {"", "Examples:", "  cellar archive key > archive-key.hex   # keep it like the passphrase",
                "  python3 docs/read-archive.py --key-file archive-key.hex \\",
                "      --repository /backups/repo archives/shop/monthly/2026-10/manifest.json"})
final class ArchiveKeyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            ArchiveResults.Key key = ArchiveCommand.service(context).key();
            CommandContext.STDERR.warn("this is the key that decrypts every archive of " + key.repository()
                    + ": keep it as safe as the repository passphrase");
            context.output().result(key, key.keyHex());
            return 0;
        }
    }
}
