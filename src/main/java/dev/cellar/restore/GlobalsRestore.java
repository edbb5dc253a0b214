package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.globals.ClusterGlobals;
import dev.cellar.globals.DatabasePropertiesPlan;
import dev.cellar.globals.GlobalsScript;
import dev.cellar.globals.RoleCreationPlan;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.DatabaseGlobals;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.StreamReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster-wide side of one logical restore. Before anything is created it checks that the
 * target has every role and tablespace the backup names, and refuses with the list of what is
 * missing, unless {@code --create-roles} (roles are then created from the backup's globals) or
 * {@code --no-owner} (then only roles named by policies must exist). After pg_restore it gives the
 * database its owner, settings, ACL and comment. Roles it created are dropped again when the
 * restore fails, so a failed restore leaves the cluster as it was.
 */
public final class GlobalsRestore implements AutoCloseable {
    static final String CREATE_HINT = "the restoring role needs CREATEROLE (and SUPERUSER to create superusers or "
            + "replication roles); or create the roles by hand and restore without --create-roles";

    private final BackupManifest manifest;
    private final LogicalRestoreOptions options;
    private final TargetCatalog catalog;
    private final RestoreTarget target;
    private final DatabaseGlobals needs;
    private final RoleCreationPlan plan;
    private final List<String> notes = new ArrayList<>();
    private final List<String> databaseProperties = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private List<String> created = List.of();
    private boolean kept;

    private GlobalsRestore(BackupManifest manifest, LogicalRestoreOptions options, RestoreTarget target, RoleCreationPlan plan) {
        this.manifest = manifest;
        this.options = options;
        this.target = target;
        this.catalog = new TargetCatalog(target.server());
        this.needs = manifest.globals() == null ? null : manifest.globals().database();
        this.plan = plan;
    }

    /** Checks the target against what the backup needs; refuses (changing nothing) when it lacks roles or tablespaces. */
    public static GlobalsRestore prepare(Repository repository, BackupManifest manifest, RestoreTarget target, LogicalRestoreOptions options) {
        if (manifest.globals() == null) {
            GlobalsRestore legacy = new GlobalsRestore(manifest, options, target, null);
            if (options.createRoles()) {
                legacy.notes.add("backup " + manifest.id() + " was taken before Cellar stored roles and other cluster-wide objects:"
                        + " --create-roles had nothing to create them from; the roles its dump names must exist here (or use --no-owner)");
            }
            return legacy;
        }
        ClusterGlobals cluster = load(repository, manifest);
        GlobalsScript script = cluster.parsed();
        DatabaseGlobals needs = manifest.globals().database();
        TargetCatalog catalog = new TargetCatalog(target.server());
        String what = "backup " + manifest.id() + " of database " + manifest.database();
        requireTablespaces(what, needs, catalog.tablespaces(), script, target);
        Set<String> present = catalog.roles();
        List<String> missing = missing(needs.roles(), present);
        if (!options.createRoles()) {
            refuseMissing(what, needs, missing, options.noOwner(), target);
            return new GlobalsRestore(manifest, options, target, null);
        }
        RoleCreationPlan plan = RoleCreationPlan.of(script, needs.roles(), present, options.withRolePasswords(), cluster.rolePasswords());
        return new GlobalsRestore(manifest, options, target, plan);
    }

    /** Reads a backup's globals stream (small: the script of roles and tablespaces). */
    public static ClusterGlobals load(Repository repository, BackupManifest manifest) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (StreamReader reader = new StreamReader(repository, 1)) {
            reader.read(manifest.globals().stream(), json, ProgressListener.NONE);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTEGRITY, "cannot read the globals of backup " + manifest.id() + ": " + e.getMessage(),
                    "run 'cellar verify " + manifest.id() + "'");
        } catch (CellarException e) {
            if (e.code() != ErrorCode.INTEGRITY) {
                throw e;
            }
            throw new CellarException(ErrorCode.INTEGRITY, "backup " + manifest.id() + " is damaged (its globals) and was not restored: "
                    + e.getMessage(), "restore an older backup ('cellar list'), or repair the repository from another copy", e);
        }
        return ClusterGlobals.fromJson(json.toByteArray(), "backup " + manifest.id());
    }

    /** Creates the missing roles and their memberships (with {@code --create-roles}), all in one transaction. */
    public void createMissingRoles() {
        if (plan == null || plan.rolesCreated().isEmpty()) {
            return;
        }
        catalog.runInOneTransaction(plan.statements(), "creating roles " + String.join(", ", plan.rolesCreated()), CREATE_HINT);
        created = plan.rolesCreated();
        notes.addAll(plan.notes());
    }

    /** Gives a database restored whole its owner, settings, ACL and comment (pg_restore brings none of them). */
    public void applyTo(String database) {
        if (needs == null) {
            return;
        }
        Set<String> roles = catalog.roles();
        DatabasePropertiesPlan properties = DatabasePropertiesPlan.of(needs, database, roles, options.noOwner());
        catalog.runInOneTransaction(properties.statements(), "setting the owner, settings, ACL and comment of database " + database,
                "the restoring role must be a superuser, or own the database and belong to the roles named");
        // reported under the database's final name, not the temporary one a forced restore fills first
        DatabasePropertiesPlan named = DatabasePropertiesPlan.of(needs, options.targetDatabase(), roles, options.noOwner());
        databaseProperties.addAll(named.statements());
        skipped.addAll(named.skipped());
        notes.addAll(named.notes());
    }

    /**
     * With {@code --no-owner}: records every ownership and grant pg_restore left out of the archive.
     *
     * @param selection the pg_restore options that picked what was restored (e.g. {@code --use-list=…}), or none
     */
    public void recordSkipped(Path archive, List<String> selection) {
        if (!options.noOwner()) {
            return;
        }
        try {
            skipped.addAll(0, NoOwnerSkips.of(target.binaries(), archive, selection));
        } catch (CellarException e) {
            notes.add("could not list what --no-owner skipped: " + e.getMessage());
        }
    }

    public GlobalsReport report() {
        List<String> memberships = created.isEmpty() ? List.of() : plan.membershipsGranted();
        return new GlobalsReport(manifest.globals() != null, created, memberships, List.copyOf(databaseProperties), List.copyOf(skipped),
                List.copyOf(notes));
    }

    /** The restore succeeded: the roles it created stay. */
    public void keep() {
        kept = true;
    }

    /** Drops the roles this restore created unless it succeeded (they own nothing once its database is gone). */
    @Override
    public void close() {
        if (kept || created.isEmpty()) {
            return;
        }
        List<String> drops = created.reversed().stream().map(r -> "DROP ROLE IF EXISTS " + dev.cellar.globals.Sql.identifier(r) + ";").toList();
        try {
            catalog.runInOneTransaction(drops, "dropping the roles this restore created", null);
        } catch (CellarException e) {
            // the restore's own error matters more; the roles stay, and a rerun finds them present
        }
    }

    /** Roles the backup needs that the target lacks (predefined roles are never created, so never "missing"). */
    private static List<String> missing(Collection<String> wanted, Set<String> present) {
        return wanted.stream().filter(r -> !present.contains(r) && !r.startsWith(RoleCreationPlan.PREDEFINED_PREFIX)).sorted().toList();
    }

    /** @param what the backup(s) restored, as the message names them */
    static void refuseMissing(String what, DatabaseGlobals needs, List<String> missing, boolean noOwner, RestoreTarget target) {
        String where = target.server().host() + ":" + target.server().port();
        if (noOwner) {
            List<String> stillNeeded = missing.stream().filter(needs.rolesWithoutOwnership()::contains).toList();
            if (!stillNeeded.isEmpty()) {
                throw new CellarException(ErrorCode.GLOBALS_MISSING, what + " needs role(s) that " + where + " lacks even with --no-owner (row-level security policies or user mappings name them): "
                        + String.join(", ", stillNeeded) + "; nothing was restored",
                        "pass --create-roles to create the missing roles from the backup, or create these with CREATE ROLE");
            }
            return;
        }
        if (!missing.isEmpty()) {
            throw new CellarException(ErrorCode.GLOBALS_MISSING, what + " needs " + missing.size() + " role(s) that " + where + " lacks: " + String.join(", ", missing) + "; nothing was restored",
                    "pass --create-roles to create them from the backup (login passwords too with --with-role-passwords), "
                            + "or --no-owner to restore without ownership and grants (every one skipped is listed)");
        }
    }

    static void requireTablespaces(String what, DatabaseGlobals needs, Set<String> present, GlobalsScript script, RestoreTarget target) {
        List<String> missing = needs.tablespaces().stream().filter(t -> !present.contains(t)).toList();
        if (missing.isEmpty()) {
            return;
        }
        List<String> statements = new ArrayList<>();
        new TreeSet<>(missing).forEach(t -> statements.addAll(script.tablespaces().getOrDefault(t, List.of())));
        throw new CellarException(ErrorCode.GLOBALS_MISSING, what + " has tables or indexes in tablespace(s) that " + target.server().host() + ":" + target.server().port() + " lacks: "
                + String.join(", ", missing) + "; nothing was restored",
                "create an empty folder owned by the server's OS user for each, then run"
                        + (statements.isEmpty() ? " CREATE TABLESPACE … LOCATION '…'" : ": " + String.join(" ", statements))
                        + " (change LOCATION to the new folder)");
    }
}
