package dev.cellar.cli;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.ConsolePrompter;
import dev.cellar.config.DatabaseConfig;
import dev.cellar.config.HostClock;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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
    /** Every configured copy, when there are several: built once, so reachability is learnt once. */
    private MirroredStorage copies;
    private final Map<String, Storage> drivers = new HashMap<>();
    private final MirrorWarnings mirrorWarnings = new MirrorWarnings(System.err);
    /** Those of the repository opened, once it is. */
    private RepositoryNotices notices;

    /** Whether -d named the database on the command line (stronger than database.name from the file or environment). */
    private final boolean databaseNamedByFlag;

    private CommandContext(CommonOptions common, CellarConfig config, boolean databaseNamedByFlag) {
        this.common = common;
        this.config = config;
        this.databaseNamedByFlag = databaseNamedByFlag;
    }

    static CommandContext load(CommonOptions common, DatabaseOptions database) {
        Map<String, String> overrides = common.overrides();
        if (database != null) {
            database.addTo(overrides);
        }
        return new CommandContext(common, ConfigLoader.load(common.config, System.getenv(), overrides), database != null && database.name != null);
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

    /**
     * The storage of one copy, for commands that work on each copy apart (expire, gc, verify, sync,
     * list's copy table). With several copies configured it shares what the copies together know:
     * a copy found unreachable once is not asked again in this command, whichever path asks.
     */
    Storage storageOf(RepositoryTarget target) {
        return config.requireRepositories().size() > 1 ? allCopies().member(target.name()) : driverOf(target);
    }

    /**
     * The copy's own storage driver, opened once per command: for what only that driver can do
     * (a bucket's lifecycle rules, a folder's permissions) and for a command on one copy alone.
     */
    Storage driverOf(RepositoryTarget target) {
        return drivers.computeIfAbsent(target.name(), name -> {
            Storage storage = target.isS3() ? S3Storage.open(target.s3(), System.getenv(), S3Timeouts.DEFAULT, hostClock)
                    : new LocalStorage(target.path(), hostClock);
            return common.readOnly ? new ReadOnlyStorage(storage) : storage;
        });
    }

    /**
     * Where this command reads and writes: the one copy, or all of them together (every write
     * lands in each; a read falls back to the next copy when one lacks the object or holds it damaged).
     */
    Storage storage() {
        // one instance per command, so a copy marked behind stays behind for every write of the run
        if (storage == null) {
            List<RepositoryTarget> targets = repositoryTargets();
            storage = targets.size() > 1 ? allCopies() : driverOf(targets.get(0));
        }
        return storage;
    }

    /** The copies that a write of this command could not reach (none unless it writes to several copies). */
    List<String> copiesBehind() {
        return storage instanceof MirroredStorage mirror ? mirror.fellBehind() : List.of();
    }

    /** The copies this command found unreachable, in configuration order (reported on stderr as it happened). */
    List<String> copiesUnreachable() {
        return copies == null ? List.of() : copies.unreachable();
    }

    /**
     * The exit code of a command that reads the copies and goes on without one it cannot reach
     * (list, show, verify, audit, restore): {@code PARTIAL} instead of success when a copy could
     * not be reached, so a script sees it while the output holds everything the others gave.
     */
    int exitCode(int code) {
        return code == 0 && !copiesUnreachable().isEmpty() ? ErrorCode.PARTIAL.exitCode() : code;
    }

    /**
     * Says on stderr that the command goes on without part of its work (a copy it could not
     * reach), with the command that finishes it: the same shape as an error and its HINT.
     */
    void warnPartial(String message, String hint) {
        System.err.println("warning: " + message);
        System.err.println("HINT: " + hint);
        System.err.flush();
    }

    /** Every configured copy as one storage (at least two are configured). */
    MirroredStorage allCopies() {
        if (copies == null) {
            copies = new MirroredStorage(config.requireRepositories().stream()
                    .map(t -> new MirroredStorage.Member(t.name(), driverOf(t))).toList(), mirrorWarnings);
        }
        return copies;
    }

    /** Where the copies' warnings are printed, for a storage a command builds over some of the copies. */
    Consumer<MirroredStorage.Warning> mirrorWarnings() {
        return mirrorWarnings;
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

    /**
     * One configured copy, with the repository opened on it alone when first asked for: a copy
     * that cannot be reached fails there, in the loop over the copies, not before it.
     */
    static final class Copy {
        private final RepositoryTarget target;
        private final Supplier<Repository> opener;
        private Repository repository;

        Copy(RepositoryTarget target, Supplier<Repository> opener) {
            this.target = target;
            this.opener = opener;
        }

        RepositoryTarget target() {
            return target;
        }

        Repository repository() {
            if (repository == null) {
                repository = opener.get();
            }
            return repository;
        }
    }

    /**
     * The repository on each copy apart (one key derivation for all), for commands that work on
     * each copy with its own settings: expire and gc. With a single copy, that copy.
     */
    List<Copy> openEachCopy() {
        Repository repository = openRepository();
        List<RepositoryTarget> targets = repositoryTargets();
        if (targets.size() == 1) {
            return List.of(new Copy(targets.get(0), () -> repository));
        }
        return targets.stream().map(t -> new Copy(t, () -> repository.onCopy(storageOf(t)))).toList();
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
        return new Output(System.out, common.json, notices, copiesUnreachable());
    }

    /** Whose backup 'latest' means: the database -d / database.name names, else the repository's only source. */
    BackupSubject backupSubject() {
        DatabaseConfig database = config.database();
        return database.nameGiven() ? BackupSubject.database(database.name()) : BackupSubject.unnamed();
    }

    /**
     * Whose backup 'latest' means for a restore into {@code targetDatabase}: the database -d names;
     * else the target's name if the repository holds backups of it; else database.name from the
     * file or environment (often only the database a site connects to); else the only source.
     */
    BackupSubject backupSubjectRestoringInto(String targetDatabase) {
        DatabaseConfig database = config.database();
        if (databaseNamedByFlag) {
            return BackupSubject.database(database.name());
        }
        return database.nameGiven() ? BackupSubject.restoringInto(targetDatabase, database.name())
                : BackupSubject.unnamedRestoringInto(targetDatabase);
    }
}
