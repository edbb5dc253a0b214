package dev.cellar.cli;

import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.Warnings;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.ConsolePrompter;
import dev.cellar.config.HostClock;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.BackupSubject;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.MirroredStorage;
import dev.cellar.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A command's {@link CellarContext}, built from its flags: the configuration (file, environment,
 * flags), warnings printed on stderr, secrets typed at the terminal when configured so. Adds what
 * only a command has: its output and its exit code. Commands open it in try-with-resources.
 */
final class CommandContext implements AutoCloseable {
    /** On stderr as it is when the warning comes (tests swap it), as every command printed its warnings. */
    static final Warnings STDERR = message -> Warnings.printingTo(System.err).warn(message);

    private final CommonOptions common;
    private final CellarContext app;

    private CommandContext(CommonOptions common, CellarContext app) {
        this.common = common;
        this.app = app;
    }

    static CommandContext load(CommonOptions common, DatabaseOptions database) {
        Map<String, String> overrides = common.overrides();
        if (database != null) {
            database.addTo(overrides);
        }
        CellarConfig config = ConfigLoader.load(common.config, System.getenv(), overrides);
        ContextOptions options = new ContextOptions(common.readOnly, common.repositoryName, Duration.ofSeconds(Math.max(0, common.lockWaitSeconds)),
                database != null && database.name != null, STDERR, new ConsolePrompter(), System.getenv(), HostClock.system());
        return new CommandContext(common, CellarContext.open(config, options));
    }

    /** The application layer's context, for a service. */
    CellarContext app() {
        return app;
    }

    CellarConfig config() {
        return app.config();
    }

    Duration lockWait() {
        return app.lockWait();
    }

    List<RepositoryTarget> repositoryTargets() {
        return app.repositoryTargets();
    }

    Clock hostClock() {
        return app.hostClock();
    }

    Storage storageOf(RepositoryTarget target) {
        return app.storageOf(target);
    }

    Storage driverOf(RepositoryTarget target) {
        return app.driverOf(target);
    }

    Storage storage() {
        return app.storage();
    }

    List<String> copiesBehind() {
        return app.copiesBehind();
    }

    List<String> copiesUnreachable() {
        return app.copiesUnreachable();
    }

    /**
     * The exit code of a command that reads the copies and goes on without one it cannot reach
     * (list, show, verify, audit, restore): {@code PARTIAL} instead of success when a copy could
     * not be reached, so a script sees it while the output holds everything the others gave.
     */
    int exitCode(int code) {
        return code == 0 && !copiesUnreachable().isEmpty() ? ErrorCode.PARTIAL.exitCode() : code;
    }

    void warnPartial(String message, String hint) {
        app.warnPartial(message, hint);
    }

    MirroredStorage allCopies() {
        return app.allCopies();
    }

    Consumer<MirroredStorage.Warning> mirrorWarnings() {
        return app.mirrorWarnings();
    }

    Repository openRepository() {
        return app.openRepository();
    }

    Repository openRepository(dev.cellar.repo.UnlockMethod secret) {
        return app.openRepository(secret);
    }

    List<CellarContext.Copy> openEachCopy() {
        return app.openEachCopy();
    }

    <T> CellarContext.Unlocked<T> openRepositoryWhile(Function<PgConnectionSpec, T> check) {
        return app.openRepositoryWhile(check);
    }

    <T> CellarContext.Unlocked<T> openRepositoryWhile(Function<PgConnectionSpec, T> check, CellarContext.CheckFailure onCheckFailure) {
        return app.openRepositoryWhile(check, onCheckFailure);
    }

    RepositorySecret secret() {
        return app.secret();
    }

    PgConnectionSpec database() {
        return app.database();
    }

    boolean json() {
        return common.json;
    }

    /** Where the result goes: stdout, with the repository's notices (read-only, damaged manifests skipped) in the JSON. */
    Output output() {
        return new Output(System.out, common.json, app.notices(), copiesUnreachable());
    }

    BackupSubject backupSubject() {
        return app.backupSubject();
    }

    BackupSubject backupSubjectRestoringInto(String targetDatabase) {
        return app.backupSubjectRestoringInto(targetDatabase);
    }

    @Override
    public void close() {
        app.close();
    }
}
