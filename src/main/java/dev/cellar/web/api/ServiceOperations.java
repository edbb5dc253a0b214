package dev.cellar.web.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellar.app.CatalogService;
import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.ExpireService;
import dev.cellar.app.GcService;
import dev.cellar.app.LogicalBackupService;
import dev.cellar.app.LogicalRestoreService;
import dev.cellar.app.RepoSyncService;
import dev.cellar.app.PhysicalBackupService;
import dev.cellar.app.UnlockService;
import dev.cellar.app.VerifyService;
import dev.cellar.app.Warnings;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.server.catalog.Catalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs the REST API's long operations through the same services as the CLI and the daemon, each
 * in an application context of its own opened unattended (no prompt), and returns what the CLI's
 * {@code --json} prints for the same command.
 */
public final class ServiceOperations implements OperationRunner {
    /** How long an operation waits for a repository lock another one (or a CLI command, or a job) holds before it fails LOCKED. */
    public static final Duration LOCK_WAIT = Duration.ofMinutes(2);
    /** Where a restore connects to create the target database, and a restore test its scratch one. */
    static final String MAINTENANCE_DATABASE = "postgres";

    private final CellarConfig config;
    private final Catalog catalog;
    private final Warnings warnings;
    private final Duration lockWait;

    /**
     * @param catalog  the server's catalog, for {@code catalog-rebuild}
     * @param warnings where the services' warnings go (the server's log)
     */
    public ServiceOperations(CellarConfig config, Catalog catalog, Warnings warnings, Duration lockWait) {
        this.config = config;
        this.catalog = catalog;
        this.warnings = warnings;
        this.lockWait = lockWait;
    }

    @Override
    public Object run(OperationRequest request, ProgressListener progress) {
        try {
            return runService(request, progress);
        } finally {
            // as the daemon does after each scheduled run: otherwise the status board would still say CRITICAL for up to an
            // observation round (30 s) after the operation page said the backup succeeded
            if (request.kind() != OperationKind.CATALOG_REBUILD) {
                catalogUpToDate();
            }
        }
    }

    private Object runService(OperationRequest request, ProgressListener progress) {
        int jobs = config.backup().jobs();
        return switch (request.kind()) {
            case BACKUP_LOGICAL -> forDatabase(request, context -> withCopiesBehind(
                    new LogicalBackupService(context).backupDatabase(null, jobs, progress), context));
            case BACKUP_PHYSICAL -> forDatabase(request, context -> withCopiesBehind(new PhysicalBackupService(context)
                    .backup(request.flag("incremental"), databaseNamed(request.database()).dataDir(), jobs, null, progress), context));
            case VERIFY -> forDatabase(request, context -> verify(context, request, jobs, progress));
            case RESTORE -> forDatabase(request, context -> new LogicalRestoreService(context).restoreDatabase(
                    new LogicalRestoreService.Request(request.text("backup"), request.flag("overExisting"), false, jobs, false, false,
                            MAINTENANCE_DATABASE),
                    request.text("targetDatabase"), List.of(), progress));
            case EXPIRE -> repositoryWide(context -> {
                ExpireService.ExpireRun run = new ExpireService(context).expire(request.flag("dryRun"), null, null);
                // as 'cellar expire --json': one copy's result, or every copy's
                return run.copies().size() == 1 ? run.copies().get(0).result() : Map.of("copies", run.copies());
            });
            case GC -> repositoryWide(context -> {
                GcService.GcRun run = new GcService(context).collect(request.flag("dryRun"));
                // as 'cellar gc --json': one copy's result, or each copy's by name
                Map<String, Object> byCopy = new java.util.LinkedHashMap<>();
                run.copies().forEach(copy -> byCopy.put(copy.copy(), copy.result()));
                return run.severalCopies() ? Map.of("copies", byCopy) : run.copies().get(0).result();
            });
            // as 'cellar unlock --json': the locks removed
            case UNLOCK -> repositoryWide(context -> new UnlockService(context).unlock(request.flag("all")).removed());
            case CATALOG_REBUILD -> repositoryWide(context -> new CatalogService(context, catalog).rebuild());
            // as 'cellar repo sync --json'
            case SYNC -> repositoryWide(context -> new RepoSyncService(context).sync(request.text("from"),
                    request.text("to") == null ? List.of() : List.of(request.text("to").split("\\s*,\\s*")), request.flag("dryRun"), jobs,
                    progress));
        };
    }

    /** Brings the catalog up to date with what the operation wrote into the repository; a failure only delays it to the next round. */
    private void catalogUpToDate() {
        if (catalog == null) {
            return;
        }
        try (CellarContext context = CellarContext.open(config, ContextOptions.unattended(warnings, lockWait))) {
            new CatalogService(context, catalog).ingest();
        } catch (RuntimeException e) {
            warnings.warn("could not bring the catalog up to date after the operation (the next observation round will): "
                    + e.getMessage());
        }
    }

    private Object verify(CellarContext context, OperationRequest request, int jobs, ProgressListener progress) {
        VerifyService service = new VerifyService(context);
        service.unlock();
        String backup = request.text("backup");
        return switch (request.text("kind")) {
            case "restore-test" -> service.restoreTest(backup == null ? "latest" : backup, MAINTENANCE_DATABASE, jobs, progress);
            case "wal" -> service.verifyWal(jobs, progress);
            case "backups" -> service.severalCopies()
                    ? service.verifyCopies(backup == null ? List.of() : List.of(backup), backup == null, false, false, false, jobs, progress)
                    : service.verifyBackups(backup == null ? List.of() : List.of(backup), backup == null, false, jobs, progress);
            default -> throw new CellarException(ErrorCode.USAGE, "unknown verify kind '" + request.text("kind") + "'",
                    "use backups, wal or restore-test");
        };
    }

    /** The scheduled database by its short name; the only one when none is named. */
    ScheduledDatabase databaseNamed(String name) {
        List<ScheduledDatabase> all = config.scheduledDatabases();
        if (name == null) {
            if (all.size() == 1) {
                return all.get(0);
            }
            throw new CellarException(ErrorCode.USAGE, "several databases are configured and none was named",
                    "name one of: " + String.join(", ", all.stream().map(ScheduledDatabase::name).toList()));
        }
        return all.stream().filter(db -> db.name().equals(name)).findFirst()
                .orElseThrow(() -> new CellarException(ErrorCode.NOT_FOUND, "no database '" + name + "' is configured",
                        "the configured databases are: " + String.join(", ", all.stream().map(ScheduledDatabase::name).toList())));
    }

    @FunctionalInterface
    private interface InContext {
        Object run(CellarContext context);
    }

    private Object forDatabase(OperationRequest request, InContext work) {
        ScheduledDatabase db = databaseNamed(request.database());
        ContextOptions unattended = ContextOptions.unattended(warnings, lockWait);
        // the database is named by the request, as by -d on the command line ('latest' resolves to it)
        ContextOptions named = new ContextOptions(unattended.readOnly(), unattended.repositoryName(), unattended.lockWait(), true,
                unattended.warnings(), unattended.prompter(), unattended.env(), unattended.hostClock());
        try (CellarContext context = CellarContext.open(config.forDatabase(db), named)) {
            return work.run(context);
        }
    }

    private Object repositoryWide(InContext work) {
        try (CellarContext context = CellarContext.open(config, ContextOptions.unattended(warnings, lockWait))) {
            return work.run(context);
        }
    }

    /** As the CLI's JSON: the copies a write could not reach beside the result's own fields. */
    private static Object withCopiesBehind(Object result, CellarContext context) {
        if (context.copiesBehind().isEmpty()) {
            return result;
        }
        ObjectNode tree = RepositoryJson.mapper().valueToTree(result);
        tree.putPOJO("copiesBehind", context.copiesBehind());
        return tree;
    }
}
