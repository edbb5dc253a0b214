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
 */
public record LogicalRestoreOptions(String targetDatabase, List<String> tables, boolean force, boolean noOwner, int jobs,
                                    Path workDir, Path binDir, Duration lockWait) {
}
