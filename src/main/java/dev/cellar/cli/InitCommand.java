package dev.cellar.cli;

import dev.cellar.config.RepositoryTarget;
import dev.cellar.config.WormConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryHeader;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.MirroredStorage;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
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
            writeKeyFile(newKeyFile);
            common.keyFile = newKeyFile;
        }
        try (CommandContext context = CommandContext.load(common, null)) {
            requireRetentionWhereWormIsOn(context);
            RepositorySecret secret = context.secret();
            Storage storage = context.storage();
            if (storage instanceof MirroredStorage mirror) {
                // every copy gets the same header and key slot, written through the mirror
                mirror.members().forEach(InitCommand::checkEmptyCopy);
                mirror.members().forEach(m -> createFolder(m.storage()));
            } else {
                createFolder(storage);
            }
            Repository repository;
            try {
                repository = Repository.init(storage, secret, ChunkerParameters.ofAverage(context.config().backup().chunkAvgKib() * 1024),
                        context.hostClock());
            } finally {
                secret.wipe();
            }
            repository.audit().append("init", repository.storage().describe(), "ok", repository.header().repositoryId(), 0, null);
            RepositoryHeader header = repository.header();
            new Output(System.out, common.json).result(header, "created repository " + header.repositoryId() + " at "
                    + repository.storage().describe() + "\n"
                    + "cipher " + header.cipher() + ", chunk ids " + header.chunkIdAlgorithm() + ", compression " + header.compression() + "\n"
                    + "keep your " + secret.kind() + " safe and apart from the repository: it is the only way to read these backups");
            return 0;
        }
    }

    private static void createFolder(Storage storage) {
        if (storage instanceof LocalStorage local && !Files.exists(local.root())) {
            local.createPrivateRoot();
        }
    }

    /** A copy that already holds a repository is filled by repo sync, never initialised again. */
    private static void checkEmptyCopy(MirroredStorage.Member member) {
        if (member.storage().exists(RepositoryLayout.HEADER)) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, "copy '" + member.name() + "' (" + member.storage().describe()
                    + ") already holds a Cellar repository; nothing was created",
                    "to add an empty copy to an existing repository, configure it and run 'cellar repo sync'");
        }
        if (!member.storage().list("").isEmpty()) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, "copy '" + member.name() + "' (" + member.storage().describe()
                    + ") is not empty and holds no Cellar repository; nothing was created",
                    "choose an empty or new folder for each copy");
        }
    }

    /**
     * With worm.mode set, every copy must be able to lock objects before anything is written: a
     * bucket gets Object Lock only when it is created, so finding out at the first backup is too late.
     */
    private static void requireRetentionWhereWormIsOn(CommandContext context) {
        WormConfig worm = context.config().worm();
        if (!worm.enabled()) {
            return;
        }
        for (RepositoryTarget target : context.repositoryTargets()) {
            if (!context.storageOf(target).supportsRetention()) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "worm.mode is " + worm.mode().toLowerCase(Locale.ROOT)
                        + " but repository '" + target.name() + "' (" + target.location() + ") cannot keep objects under retention"
                        + (target.isS3() ? ": the bucket does not have S3 Object Lock enabled" : ""),
                        target.isS3() ? "create the bucket with Object Lock enabled (aws s3api create-bucket "
                                + "--object-lock-enabled-for-bucket); it cannot be turned on for an existing bucket without AWS support"
                                : "use a storage that supports retention for this copy, or set worm.mode: off");
            }
        }
    }

    private static void writeKeyFile(Path file) {
        if (Files.exists(file)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "key file " + file + " already exists; refusing to overwrite it",
                    "use it with --key-file, or choose another path");
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot write key file " + file + ": " + e.getMessage());
        }
    }
}
