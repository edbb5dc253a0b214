package dev.cellar.app;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.DatabaseConfig;
import dev.cellar.config.Pkcs11Config;
import dev.cellar.config.RepositoryConfig;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.error.Futures;
import dev.cellar.keys.KmsUnlock;
import dev.cellar.keys.Pkcs11Unlock;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupSubject;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryNotices;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.repo.UnlockMethod;
import dev.cellar.storage.ClockSkew;
import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.MirroredStorage;
import dev.cellar.storage.ReadOnlyStorage;
import dev.cellar.storage.Storage;
import dev.cellar.storage.s3.S3Storage;
import dev.cellar.storage.s3.S3Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything an operation needs beside its own arguments: the configuration, the storage drivers
 * of the configured copies (opened once, on first use), the copies together as one storage, the
 * unlocked repository and the database coordinates. The CLI builds one per command; the daemon
 * one per job; both pass it to the services in this package.
 *
 * <p>What the daemon must know:
 * <ul>
 *   <li><b>Lifetime.</b> {@link #close()} releases every driver, S3 client and writer thread this
 *       context opened. Open one per job, in try-with-resources; never keep one across jobs (a copy
 *       found unreachable stays unreachable for the context's whole life, by design).</li>
 *   <li><b>Threads.</b> Not thread-safe: one job, one thread calls it. The storages it hands out are
 *       safe for the parallel workers of that one operation.</li>
 *   <li><b>Prompts.</b> {@link #openRepository()}, {@link #secret()}, {@link #database()} and
 *       {@link #openRepositoryWhile} resolve secrets, and a secret configured as "prompt" asks
 *       {@link ContextOptions#prompter()}: give the daemon {@link NeverPrompt}, which fails at once.</li>
 *   <li><b>Locks.</b> Opening the repository takes no lock; the operations that write take the
 *       repository lock themselves and wait for it up to {@link #lockWait()}.</li>
 *   <li><b>Warnings</b> go to {@link ContextOptions#warnings()}, never to stderr directly.</li>
 * </ul>
 */
public final class CellarContext implements AutoCloseable {
    private final CellarConfig config;
    private final ContextOptions options;
    private Storage storage;
    /** Every configured copy, when there are several: built once, so reachability is learnt once. */
    private MirroredStorage copies;
    /** The drivers this context opened, by copy name: it owns and closes them. */
    private final Map<String, Storage> drivers = new LinkedHashMap<>();
    private final MirrorWarnings mirrorWarnings;
    /** Those of the repository opened, once it is. */
    private RepositoryNotices notices;
    private boolean closed;

    private CellarContext(CellarConfig config, ContextOptions options) {
        this.config = config;
        this.options = options;
        this.mirrorWarnings = new MirrorWarnings(options.warnings());
    }

    /** A context over {@code config}; nothing is opened until an operation asks for it. */
    public static CellarContext open(CellarConfig config, ContextOptions options) {
        return new CellarContext(config, options);
    }

    public CellarConfig config() {
        return config;
    }

    public ContextOptions options() {
        return options;
    }

    public boolean readOnly() {
        return options.readOnly();
    }

    public Duration lockWait() {
        return options.lockWait();
    }

    /** Where warnings of this context's operations go. */
    public Warnings warnings() {
        return options.warnings();
    }

    /** The configured copies this operation works on: all of them, or the one named in the options. */
    public List<RepositoryTarget> repositoryTargets() {
        if (options.repositoryName() != null) {
            return List.of(config.repositoryNamed(options.repositoryName()));
        }
        return config.requireRepositories();
    }

    /** This host's clock (moved by -Dcellar.clock-offset in tests); lock decisions use the storage server's. */
    public Clock hostClock() {
        return options.hostClock();
    }

    /**
     * The storage of one copy, for operations that work on each copy apart (expire, gc, verify, sync,
     * list's copy table). With several copies configured it shares what the copies together know:
     * a copy found unreachable once is not asked again in this context, whichever path asks.
     */
    public Storage storageOf(RepositoryTarget target) {
        return config.requireRepositories().size() > 1 ? allCopies().member(target.name()) : driverOf(target);
    }

    /**
     * The copy's own storage driver, opened once per context: for what only that driver can do
     * (a bucket's lifecycle rules, a folder's permissions) and for an operation on one copy alone.
     * The context owns it: callers do not close it.
     */
    public Storage driverOf(RepositoryTarget target) {
        requireOpen();
        return drivers.computeIfAbsent(target.name(), name -> {
            Storage opened = target.isS3() ? S3Storage.open(target.s3(), options.env(), S3Timeouts.DEFAULT, hostClock())
                    : new LocalStorage(target.path(), hostClock());
            return options.readOnly() ? new ReadOnlyStorage(opened) : opened;
        });
    }

    /**
     * Where this operation reads and writes: the one copy, or all of them together (every write
     * lands in each; a read falls back to the next copy when one lacks the object or holds it damaged).
     */
    public Storage storage() {
        // one instance per context, so a copy marked behind stays behind for every write of the run
        if (storage == null) {
            List<RepositoryTarget> targets = repositoryTargets();
            storage = targets.size() > 1 ? allCopies() : driverOf(targets.get(0));
        }
        return storage;
    }

    /** The copies that a write of this operation could not reach (none unless it writes to several copies). */
    public List<String> copiesBehind() {
        return storage instanceof MirroredStorage mirror ? mirror.fellBehind() : List.of();
    }

    /** The copies this operation found unreachable, in configuration order (warned about as it happened). */
    public List<String> copiesUnreachable() {
        return copies == null ? List.of() : copies.unreachable();
    }

    /** What the repository told this context when it was opened (null before), for a result's JSON. */
    public RepositoryNotices notices() {
        return notices;
    }

    /**
     * Says that the operation goes on without part of its work (a copy it could not reach), with
     * what finishes it: the same shape as an error and its HINT.
     */
    public void warnPartial(String message, String hint) {
        options.warnings().warn(message + "\nHINT: " + hint);
    }

    /** Every configured copy as one storage (at least two are configured). */
    public MirroredStorage allCopies() {
        if (copies == null) {
            // the drivers belong to this context, which closes them after the mirror
            copies = MirroredStorage.borrowing(config.requireRepositories().stream()
                    .map(t -> new MirroredStorage.Member(t.name(), driverOf(t))).toList(), mirrorWarnings);
        }
        return copies;
    }

    /** Where the copies' warnings go, for a storage an operation builds over some of the copies. */
    public Consumer<MirroredStorage.Warning> mirrorWarnings() {
        return mirrorWarnings;
    }

    /** Reads the secret (may prompt) and unlocks the repository on {@link #storage()}. */
    public Repository openRepository() {
        return openRepository(secretForExistingRepository());
    }

    /**
     * Unlocks the repository with a method whose secret is already read (so any prompt has happened
     * on the caller's thread); safe to run on another thread while the caller does other checks.
     * The secret is wiped.
     */
    public Repository openRepository(UnlockMethod secret) {
        Storage opened = storage();
        try {
            Repository repository = Repository.open(opened, secret, hostClock());
            repository.notices().tellTo(options.warnings()::warn);
            ClockSkew.beyondTolerance(opened, hostClock()).ifPresent(skew -> options.warnings().warn(skew.describe()
                    + "; WORM decisions use the server's clock, and expire and gc refuse to run until this host's clock is set right (NTP)"));
            notices = repository.notices();
            return repository;
        } finally {
            secret.wipe();
        }
    }

    /**
     * One configured copy, with the repository opened on it alone when first asked for: a copy
     * that cannot be reached fails there, in the loop over the copies, not before it.
     */
    public static final class Copy {
        private final RepositoryTarget target;
        private final Supplier<Repository> opener;
        private Repository repository;

        Copy(RepositoryTarget target, Supplier<Repository> opener) {
            this.target = target;
            this.opener = opener;
        }

        public RepositoryTarget target() {
            return target;
        }

        public Repository repository() {
            if (repository == null) {
                repository = opener.get();
            }
            return repository;
        }
    }

    /**
     * The repository on each copy apart (one key derivation for all), for operations that work on
     * each copy with its own settings: expire and gc. With a single copy, that copy.
     */
    public List<Copy> openEachCopy() {
        return eachCopyOf(openRepository());
    }

    /** As {@link #openEachCopy()}, for a repository this command has opened already (no second prompt or key derivation). */
    public List<Copy> eachCopyOf(Repository repository) {
        List<RepositoryTarget> targets = repositoryTargets();
        if (targets.size() == 1) {
            return List.of(new Copy(targets.get(0), () -> repository));
        }
        return targets.stream().map(t -> new Copy(t, () -> repository.onCopy(storageOf(t)))).toList();
    }

    /**
     * For a command about to read every manifest (list, expire, gc): see
     * {@link BackupCatalog#warmUpBeforeUnlock}. Only for a repository without copies, since listing
     * the copies here, before the command does, could warn of an unreachable one twice.
     */
    public void warmUpManifestReading() {
        if (repositoryTargets().size() == 1) {
            BackupCatalog.warmUpBeforeUnlock(storage());
        }
    }

    /** A repository unlocked while a check of the database side ran beside it. */
    public record Unlocked<T>(Repository repository, T checked) {
    }

    /**
     * Reads the repository secret and the database password first (either may prompt, so on
     * this thread), then derives the repository key on another thread while {@code check} runs
     * here: the key derivation is deliberately slow, the check mostly waits for PostgreSQL.
     */
    public <T> Unlocked<T> openRepositoryWhile(Function<PgConnectionSpec, T> check) {
        return openRepositoryWhile(check, null);
    }

    /**
     * As {@link #openRepositoryWhile(Function)}; when the check fails, {@code onCheckFailure} is
     * given the repository (once it opens) to record the failure in its audit trail first.
     */
    public <T> Unlocked<T> openRepositoryWhile(Function<PgConnectionSpec, T> check, CheckFailure onCheckFailure) {
        UnlockMethod secret = secretForExistingRepository();
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
    public interface CheckFailure {
        void record(Repository repository, PgConnectionSpec database, RuntimeException failure);
    }

    /** The unlock method, asked for only once the repository is known to exist (no prompt for a wrong path). */
    private UnlockMethod secretForExistingRepository() {
        Repository.readHeader(storage());
        return unlockMethod();
    }

    /**
     * How this command unlocks the repository: KMS, the HSM, the key file or the passphrase, the
     * first configured in that order (docs/keys.md). Reads a PIN or passphrase (may prompt).
     */
    public UnlockMethod unlockMethod() {
        RepositoryConfig repository = config.requireRepository();
        return switch (repository.unlockKind()) {
            case KMS -> KmsUnlock.of(repository.kms(), options.env());
            case PKCS11 -> pkcs11(repository.pkcs11());
            case KEY_FILE, PASSPHRASE -> secret();
        };
    }

    /** The HSM method of {@code pkcs11}, with its PIN read from its source (may prompt). */
    public UnlockMethod pkcs11(Pkcs11Config pkcs11) {
        char[] pin = pkcs11.pin().resolve(options.prompter(), options.env());
        try {
            return Pkcs11Unlock.of(pkcs11, pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** The repository secret from the key file or the passphrase's source (may prompt): what {@code init} seals its first slot with. */
    public RepositorySecret secret() {
        RepositoryConfig repository = config.requireRepository();
        if (repository.passphrase() == null && repository.keyFile() == null) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "this command needs the repository passphrase or key file, and only "
                    + repository.unlockKind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " is configured",
                    "set " + dev.cellar.config.ConfigKey.REPOSITORY_PASSPHRASE_FILE.dotted() + " or "
                            + dev.cellar.config.ConfigKey.REPOSITORY_KEY_FILE.dotted() + " (docs/keys.md)");
        }
        if (repository.keyFile() != null) {
            try {
                return RepositorySecret.keyFile(Files.readAllBytes(repository.keyFile()));
            } catch (IOException e) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read repository.key-file " + repository.keyFile() + ": " + e.getMessage(),
                        "check the path and that this user may read it");
            }
        }
        char[] passphrase = repository.passphrase().resolve(options.prompter(), options.env());
        try {
            return RepositorySecret.passphrase(passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** The database coordinates, with the password read from its source (may prompt). */
    public PgConnectionSpec database() {
        DatabaseConfig db = config.database();
        char[] password = db.password() == null ? null : db.password().resolve(options.prompter(), options.env());
        return new PgConnectionSpec(db.host(), db.port(), db.user(), db.name(), password, db.tls());
    }

    /** Whose backup 'latest' means: the database -d / database.name names, else the repository's only source. */
    public BackupSubject backupSubject() {
        DatabaseConfig database = config.database();
        return database.nameGiven() ? BackupSubject.database(database.name()) : BackupSubject.unnamed();
    }

    /**
     * Whose backup 'latest' means for a restore into {@code targetDatabase}: the database named for
     * this invocation; else the target's name if the repository holds backups of it; else
     * database.name from the file or environment (often only the database a site connects to);
     * else the only source.
     */
    public BackupSubject backupSubjectRestoringInto(String targetDatabase) {
        DatabaseConfig database = config.database();
        if (options.databaseNamedByFlag()) {
            return BackupSubject.database(database.name());
        }
        return database.nameGiven() ? BackupSubject.restoringInto(targetDatabase, database.name())
                : BackupSubject.unnamedRestoringInto(targetDatabase);
    }

    /**
     * Stops the copies' writer threads and closes every storage driver this context opened (S3
     * clients and their connection pools); a second call does nothing. The repository and
     * storages handed out are unusable afterwards.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> toClose = new ArrayList<>();
        if (copies != null) {
            toClose.add(copies);
        }
        toClose.addAll(drivers.values());
        RuntimeException failure = null;
        for (AutoCloseable each : toClose) {
            try {
                each.close();
            } catch (Exception e) {
                // the others must still be released
                RuntimeException wrapped = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        drivers.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this context is closed");
        }
    }
}
