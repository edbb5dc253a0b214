package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.globals.ClusterGlobals;
import dev.cellar.globals.GlobalsScript;
import dev.cellar.globals.RoleCreationPlan;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.DatabaseGlobals;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Brings a lost server back from one {@code backup logical --all} run: checks the whole target
 * first (databases that exist, roles and tablespaces it lacks) and refuses before creating
 * anything; then creates the roles (every role of the source cluster, with {@code --create-roles});
 * then restores each database of the run under its own name. A database that fails is reported
 * and the others are still restored.
 */
public final class ServerRestore {
    /** Where to connect while the database named like the maintenance database is replaced (it cannot be renamed from inside). */
    private static final String SPARE_MAINTENANCE_DATABASE = "template1";

    private final Repository repository;
    private final RestoreTarget target;
    private final LogicalRestoreOptions options;
    private final ProgressListener progress;
    private final TargetCatalog catalog;

    public ServerRestore(Repository repository, RestoreTarget target, LogicalRestoreOptions options, ProgressListener progress) {
        this.repository = repository;
        this.target = target;
        this.options = options;
        this.progress = progress;
        this.catalog = new TargetCatalog(target.server());
    }

    /** @param runOrBackupId a run id, the id of any backup of the run, or "latest" (the newest run) */
    public ServerRestoreResult run(String runOrBackupId) {
        Instant started = repository.clock().instant();
        // 1. The run and the newest backup of each of its databases.
        List<BackupManifest> backups = backupsOfRun(runOrBackupId);
        String run = backups.get(0).globals().run();
        ClusterGlobals cluster = GlobalsRestore.load(repository, backups.get(0));
        GlobalsScript script = cluster.parsed();
        // 2. Everything that would stop the restore is found before anything is created.
        Set<String> emptyToReplace = databasesToReplace(backups);
        List<String> notes = new ArrayList<>();
        RoleCreationPlan plan = createRoles(backups, script, cluster, notes);
        List<String> created = plan == null ? List.of() : plan.rolesCreated();
        // 3. Each database under its own name; one failing does not stop the others.
        List<ServerRestoreResult.DatabaseOutcome> outcomes = new ArrayList<>();
        for (BackupManifest backup : backups) {
            outcomes.add(restore(backup, emptyToReplace.contains(backup.database())));
        }
        List<String> notInRun = cluster.databases().stream()
                .filter(db -> backups.stream().noneMatch(b -> b.database().equals(db))).toList();
        ServerRestoreResult result = new ServerRestoreResult(run, created, plan == null ? List.of() : plan.membershipsGranted(), outcomes,
                notInRun, List.copyOf(notes));
        repository.audit().appendForReading("restore.logical.all", target.server().host() + ":" + target.server().port(),
                result.failed().isEmpty() ? AuditRecord.OK : AuditRecord.FAILED,
                "run " + run + ": " + (outcomes.size() - result.failed().size()) + " of " + outcomes.size() + " database(s) restored"
                        + (created.isEmpty() ? "" : ", roles created: " + String.join(", ", created)),
                0, Duration.between(started, repository.clock().instant()));
        return result;
    }

    private List<BackupManifest> backupsOfRun(String runOrBackupId) {
        List<BackupManifest> inRuns = new BackupCatalog(repository).all().stream()
                .filter(m -> BackupManifest.KIND_LOGICAL.equals(m.kind()) && m.globals() != null && m.globals().run() != null)
                .toList();
        if (inRuns.isEmpty()) {
            throw new CellarException(ErrorCode.NOT_FOUND, "repository " + repository.storage().describe()
                    + " holds no backup of a whole server", "take one with 'cellar backup logical --all'");
        }
        String run;
        if (BackupCatalog.LATEST.equalsIgnoreCase(runOrBackupId)) {
            run = inRuns.stream().map(m -> m.globals().run()).max(Comparator.naturalOrder()).orElseThrow();
        } else {
            run = inRuns.stream().filter(m -> m.id().equals(runOrBackupId) || m.globals().run().equals(runOrBackupId))
                    .map(m -> m.globals().run()).findFirst()
                    .orElseThrow(() -> new CellarException(ErrorCode.NOT_FOUND, "'" + runOrBackupId
                            + "' is neither a 'backup logical --all' run nor a backup of one",
                            "'cellar list' shows the run of each backup taken with --all"));
        }
        Map<String, BackupManifest> newestPerDatabase = new TreeMap<>();
        inRuns.stream().filter(m -> m.globals().run().equals(run)).forEach(m -> newestPerDatabase.put(m.database(), m));
        return List.copyOf(newestPerDatabase.values());
    }

    /**
     * The databases of the run that exist on the target and are replaced although --force was not
     * given, because they hold nothing; refuses when any other one exists (without --force).
     */
    private Set<String> databasesToReplace(List<BackupManifest> backups) {
        Set<String> existing = new TreeSet<>(catalog.databases());
        Set<String> empty = new TreeSet<>();
        List<String> refused = new ArrayList<>();
        for (BackupManifest backup : backups) {
            String database = backup.database();
            if (!existing.contains(database) || options.force()) {
                continue;
            }
            if (catalog.holdsObjects(database)) {
                refused.add(database);
            } else {
                empty.add(database);
            }
        }
        if (!refused.isEmpty()) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "database(s) " + String.join(", ", refused) + " already exist on "
                    + target.server().host() + ":" + target.server().port() + " and hold objects; nothing was restored",
                    "drop them, or pass --force to replace them (each is kept until its own restore succeeded)");
        }
        return empty;
    }

    /**
     * Creates every role of the source cluster the target lacks (--create-roles), in one
     * transaction; without it, refuses when the databases need roles the target lacks.
     *
     * @return what was created, or null without --create-roles
     */
    private RoleCreationPlan createRoles(List<BackupManifest> backups, GlobalsScript script, ClusterGlobals cluster, List<String> notes) {
        Set<String> needed = new TreeSet<>();
        Set<String> neededWithoutOwnership = new TreeSet<>();
        Set<String> tablespaces = new TreeSet<>();
        for (BackupManifest backup : backups) {
            DatabaseGlobals needs = backup.globals().database();
            needed.addAll(needs.roles());
            neededWithoutOwnership.addAll(needs.rolesWithoutOwnership());
            tablespaces.addAll(needs.tablespaces());
        }
        String what = "run " + backups.get(0).globals().run() + " (databases " + String.join(", ",
                backups.stream().map(BackupManifest::database).toList()) + ")";
        DatabaseGlobals union = new DatabaseGlobals(null, -1, List.of(), List.of(), null, null, List.copyOf(needed),
                List.copyOf(neededWithoutOwnership), List.copyOf(tablespaces));
        GlobalsRestore.requireTablespaces(what, union, catalog.tablespaces(), script, target);
        Set<String> present = catalog.roles();
        if (!options.createRoles()) {
            List<String> missing = needed.stream().filter(r -> !present.contains(r) && !r.startsWith(RoleCreationPlan.PREDEFINED_PREFIX)).toList();
            GlobalsRestore.refuseMissing(what, union, missing, options.noOwner(), target);
            List<String> notCreated = script.roles().keySet().stream().filter(r -> !present.contains(r) && !needed.contains(r)).toList();
            if (!notCreated.isEmpty()) {
                notes.add("roles of the source cluster that no database needs were not created (pass --create-roles): "
                        + String.join(", ", notCreated));
            }
            return null;
        }
        Set<String> wanted = new LinkedHashSet<>(script.roles().keySet());
        wanted.addAll(needed);
        RoleCreationPlan plan = RoleCreationPlan.of(script, wanted, present, options.withRolePasswords(), cluster.rolePasswords());
        catalog.runInOneTransaction(plan.statements(), "creating roles " + String.join(", ", plan.rolesCreated()),
                GlobalsRestore.CREATE_HINT);
        notes.addAll(plan.notes());
        return plan;
    }

    private ServerRestoreResult.DatabaseOutcome restore(BackupManifest backup, boolean replacedEmpty) {
        String database = backup.database();
        String maintenance = database.equals(target.server().database()) ? SPARE_MAINTENANCE_DATABASE : target.server().database();
        RestoreTarget via = new RestoreTarget(target.server().withDatabase(maintenance), target.info(), target.binaries());
        LogicalRestoreOptions forDatabase = new LogicalRestoreOptions(database, List.of(), options.force() || replacedEmpty,
                options.noOwner(), options.jobs(), options.workDir(), options.binDir(), options.lockWait(), false, false);
        try {
            RestoreResult result = new LogicalRestore(repository, via, forDatabase, progress)
                    .reapplyingErasures(new dev.cellar.lifecycle.erasure.LedgerErasureReapplier()).run(backup.id());
            return new ServerRestoreResult.DatabaseOutcome(database, backup.id(), result, null, null, replacedEmpty);
        } catch (CellarException e) {
            return new ServerRestoreResult.DatabaseOutcome(database, backup.id(), null,
                    e.getMessage() + (e.hint() == null ? "" : " (HINT: " + e.hint() + ")"), e.code().exitCode(), replacedEmpty);
        }
    }
}
