package dev.cellar.cli;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.ConsolePrompter;
import dev.cellar.config.DatabaseConfig;
import dev.cellar.config.RepositoryConfig;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.error.Futures;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.repo.BackupSubject;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryNotices;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import dev.cellar.config.HostClock;
import dev.cellar.storage.ClockSkew;
import dev.cellar.storage.s3.S3Storage;
import dev.cellar.storage.s3.S3Timeouts;
import dev.cellar.storage.MirroredStorage;
import dev.cellar.storage.ReadOnlyStorage;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What every command needs before it calls a service: the configuration (file, environment,
 * flags), the unlocked repository and the database coordinates. Secrets are read here, once,
 * and never printed.
 */
final class CommandContext {
    private final CommonOptions common;
    private final CellarConfig config;
    private final Clock hostClock = HostClock.system();
    private Storage storage;
    /** Those of the repository opened, once it is. */
    private RepositoryNotices notices;

    private CommandContext(CommonOptions common, CellarConfig config) {
        this.common = common;
        this.config = config;
    }

    static CommandContext load(CommonOptions common, DatabaseOptions database) {
        Map<String, String> overrides = common.overrides();
        if (database != null) {
            database.addTo(overrides);
        }
        return new CommandContext(common, ConfigLoader.load(common.config, System.getenv(), overrides));
    }

    CellarConfig config() {
        return config;
    }

    Duration lockWait() {
        return Duration.ofSeconds(Math.max(0, common.lockWaitSeconds));
    }

    /** The configured copies this command works on: all of them, or the one --repo-name picks. */
    List<RepositoryTarget> repositoryTargets() {
        if (common.repositoryName != null) {
            return List.of(config.repositoryNamed(common.repositoryName));
        }
        return config.requireRepositories();
    }

    /** This host's clock (moved by -Dcellar.clock-offset in tests); lock decisions use the storage server's. */
    Clock hostClock() {
        return hostClock;
    }

    /** The storage of one copy, for commands that work on each copy apart (expire, gc, verify, sync). */
    Storage storageOf(RepositoryTarget target) {
        Storage storage = target.isS3() ? S3Storage.open(target.s3(), System.getenv(), S3Timeouts.DEFAULT, hostClock)
                : new LocalStorage(target.path(), hostClock);
        return common.readOnly ? new ReadOnlyStorage(storage) : storage;
    }

    /**
     * Where this command reads and writes: the one copy, or all of them together (every write
     * lands in each; a read falls back to the next copy when one lacks the object or holds it damaged).
     */
    Storage storage() {
        // one instance per command, so a copy marked behind stays behind for every write of the run
        if (storage == null) {
            List<RepositoryTarget> targets = repositoryTargets();
            storage = targets.size() == 1 ? storageOf(targets.get(0)) : mirrorOf(targets);
        }
        return storage;
    }

    /** The copies that a write of this command could not reach (none unless it writes to several copies). */
    List<String> copiesBehind() {
        return storage instanceof MirroredStorage mirror ? mirror.fellBehind() : List.of();
    }

    private Storage mirrorOf(List<RepositoryTarget> targets) {
        return new MirroredStorage(targets.stream().map(t -> new MirroredStorage.Member(t.name(), storageOf(t))).toList(),
                new MirrorWarnings(System.err));
    }

    Repository openRepository() {
        return openRepository(secretForExistingRepository());
    }

    /**
     * Unlocks the repository with a secret already read (so any prompt has happened on the
     * caller's thread); safe to run on another thread while the caller does other checks.
     */
    Repository openRepository(RepositorySecret secret) {
        Storage storage = storage();
        try {
            Repository repository = Repository.open(storage, secret, hostClock);
            repository.notices().tellTo(message -> {
                System.err.println("warning: " + message);
                System.err.flush();
            });
            ClockSkew.beyondTolerance(storage, hostClock).ifPresent(skew -> {
                System.err.println("warning: " + skew.describe() + "; WORM decisions use the server's clock, and expire and gc"
                        + " refuse to run until this host's clock is set right (NTP)");
                System.err.flush();
            });
            notices = repository.notices();
            // every command that opens a repository moves data next; started after the key
            // derivation so the two do not compete for the CPU (see JitWarmUp)
            JitWarmUp.start();
            return repository;
        } finally {
            secret.wipe();
        }
    }

    /** One configured copy, with the repository opened on it alone. */
    record Copy(RepositoryTarget target, Repository repository) {
    }

    /**
     * The repository on each copy apart (one key derivation for all), for commands that work on
     * each copy with its own settings: expire and gc. With a single copy, that copy.
     */
    List<Copy> openEachCopy() {
        Repository repository = openRepository();
        List<RepositoryTarget> targets = repositoryTargets();
        if (targets.size() == 1) {
            return List.of(new Copy(targets.get(0), repository));
        }
        return targets.stream().map(t -> new Copy(t, repository.onCopy(storageOf(t)))).toList();
    }

    /** A repository unlocked while a check of the database side ran beside it. */
    record Unlocked<T>(Repository repository, T checked) {
    }

    /**
     * Reads the repository secret and the database password first (either may prompt, so on
     * this thread), then derives the repository key on another thread while {@code check} runs
     * here: the key derivation is deliberately slow, the check mostly waits for PostgreSQL.
     */
    <T> Unlocked<T> openRepositoryWhile(Function<PgConnectionSpec, T> check) {
        return openRepositoryWhile(check, null);
    }

    /**
     * As {@link #openRepositoryWhile(Function)}; when the check fails, {@code onCheckFailure} is
     * given the repository (once it opens) to record the failure in its audit trail first.
     */
    <T> Unlocked<T> openRepositoryWhile(Function<PgConnectionSpec, T> check, CheckFailure onCheckFailure) {
        RepositorySecret secret = secretForExistingRepository();
        PgConnectionSpec database = database();
        CompletableFuture<Repository> unlocking = CompletableFuture.supplyAsync(() -> openRepository(secret));
        T checked;
        try {
            checked = check.apply(database);
        } catch (RuntimeException e) {
            if (onCheckFailure == null) {
                unlocking.cancel(true);
                throw e;
            }
            try {
                onCheckFailure.record(Futures.join(unlocking), database, e);
            } catch (RuntimeException unrecorded) {
                // a repository that does not open (wrong key) cannot record it; the check's error is the one to show
                e.addSuppressed(unrecorded);
            }
            throw e;
        }
        return new Unlocked<>(Futures.join(unlocking), checked);
    }

    /** Records a failed check of the database side in the unlocked repository. */
    @FunctionalInterface
    interface CheckFailure {
        void record(Repository repository, PgConnectionSpec database, RuntimeException failure);
    }

    /** The secret, asked for only once the repository is known to exist (no prompt for a wrong path). */
    private RepositorySecret secretForExistingRepository() {
        Repository.readHeader(storage());
        return secret();
    }

    RepositorySecret secret() {
        RepositoryConfig repository = config.requireRepository();
        if (repository.keyFile() != null) {
            try {
                return RepositorySecret.keyFile(Files.readAllBytes(repository.keyFile()));
            } catch (IOException e) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read repository.key-file " + repository.keyFile() + ": " + e.getMessage(),
                        "check the path and that this user may read it");
            }
        }
        char[] passphrase = repository.passphrase().resolve(new ConsolePrompter());
        try {
            return RepositorySecret.passphrase(passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    PgConnectionSpec database() {
        DatabaseConfig db = config.database();
        char[] password = db.password() == null ? null : db.password().resolve(new ConsolePrompter());
        return new PgConnectionSpec(db.host(), db.port(), db.user(), db.name(), password);
    }

    boolean json() {
        return common.json;
    }

    /** Where the result goes: stdout, with the repository's notices (read-only, damaged manifests skipped) in the JSON. */
    Output output() {
        return new Output(System.out, common.json, notices);
    }

    /** Whose backup 'latest' means: the database -d / database.name names, else the repository's only source. */
    BackupSubject backupSubject() {
        DatabaseConfig database = config.database();
        return database.nameGiven() ? BackupSubject.database(database.name()) : BackupSubject.unnamed();
    }

    /** As {@link #backupSubject()} for a restore into {@code targetDatabase}, which is tried when nothing is named. */
    BackupSubject backupSubjectRestoringInto(String targetDatabase) {
        DatabaseConfig database = config.database();
        return database.nameGiven() ? BackupSubject.database(database.name()) : BackupSubject.unnamedRestoringInto(targetDatabase);
    }
}
