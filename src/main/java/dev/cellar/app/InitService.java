package dev.cellar.app;

import dev.cellar.config.RepositoryTarget;
import dev.cellar.config.WormConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryHeader;
import dev.cellar.repo.RepositoryLayout;
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

/**
 * Creates a new, empty, encrypted repository on every configured copy (the same header and key
 * slot in each), after checking that each copy is empty and can keep objects under retention
 * when WORM is on.
 *
 * <p>For the daemon: not a job; a site initialises its repository once, by hand. Reads the secret
 * (may prompt through the context's prompter); takes no lock (there is no repository yet).
 */
public final class InitService {
    private final CellarContext context;

    public InitService(CellarContext context) {
        this.context = context;
    }

    /**
     * @param header     the new repository's header
     * @param location   where it was created (all copies)
     * @param secretKind "passphrase" or "key-file": what the user must keep safe
     */
    public record InitResult(RepositoryHeader header, String location, String secretKind) {
    }

    public InitResult init() {
        requireRetentionWhereWormIsOn();
        RepositorySecret secret = context.secret();
        Storage storage = context.storage();
        if (storage instanceof MirroredStorage mirror) {
            // every copy gets the same header and key slot, written through the mirror
            mirror.members().forEach(InitService::checkEmptyCopy);
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
        return new InitResult(repository.header(), repository.storage().describe(), secret.kind());
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
    private void requireRetentionWhereWormIsOn() {
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

    /** Writes a new random key file (mode 0600) for {@code --new-key-file}; refuses to overwrite one. */
    public static void writeNewKeyFile(Path file) {
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
