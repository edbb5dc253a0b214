package dev.cellar.cli;

import dev.cellar.app.InitService;
import dev.cellar.repo.RepositoryHeader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "init", description = {"Create a new, empty, encrypted repository.",
                "The data key is random and stored only wrapped by your passphrase (Argon2id) or key file. Keep "
                        + "the passphrase or key file somewhere other than the repository: without it no backup can be "
                        + "read."})
final class InitCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = "--new-key-file", paramLabel = "FILE",
            description = "Generate a random key file (mode 0600) and protect the repository with it instead of a passphrase.")
    Path newKeyFile;

    @Override
    public Integer call() {
        if (newKeyFile != null) {
            InitService.writeNewKeyFile(newKeyFile);
            common.keyFile = newKeyFile;
        }
        try (CommandContext context = CommandContext.load(common, null)) {
            InitService.InitResult created = new InitService(context.app()).init();
            RepositoryHeader header = created.header();
            new Output(System.out, common.json).result(header, "created repository " + header.repositoryId() + " at "
                    + created.location() + "\n"
                    + "format " + header.formatVersion() + ", cipher " + header.cipher() + ", chunk ids " + header.chunkIdAlgorithm() + ", compression " + header.compression() + "\n"
                    + "keep your " + created.secretKind() + " safe and apart from the repository: it is the only way to read these backups");
            return 0;
        }
    }
}
