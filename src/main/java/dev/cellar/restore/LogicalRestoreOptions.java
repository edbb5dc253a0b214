package dev.cellar.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of one logical restore.
 *
 * @param tables  "schema.table" names to restore alone (empty: the whole database)
 * @param force   replace an existing target database (or, with tables, existing tables)
 * @param noOwner skip ownership and grants, for a cluster that lacks the original roles
 * @param workDir folder for the temporary archive pg_restore reads (needs the dump's size free)
 * @param createRoles       create the roles the backup needs that the target lacks, from the backup's globals
 * @param withRolePasswords give the roles created their login passwords from the backup
 */
public record LogicalRestoreOptions(String targetDatabase, List<String> tables, boolean force, boolean noOwner, int jobs,
                                    Path workDir, Path binDir, Duration lockWait, boolean createRoles, boolean withRolePasswords) {

    /** A restore that creates no roles. */
    public LogicalRestoreOptions(String targetDatabase, List<String> tables, boolean force, boolean noOwner, int jobs, Path workDir,
                                 Path binDir, Duration lockWait) {
        this(targetDatabase, tables, force, noOwner, jobs, workDir, binDir, lockWait, false, false);
    }
}
