package dev.cellar.restore;

import java.util.List;

/**
 * What a restore did with the cluster-wide objects of its backup.
 *
 * @param backupHasGlobals   false for a backup taken before Cellar stored globals (nothing could be created)
 * @param rolesCreated       roles created by {@code --create-roles}
 * @param membershipsGranted memberships granted with them, as "role -> member"
 * @param databaseProperties statements that gave the restored database its owner, settings, ACL and comment
 * @param skippedByNoOwner   every ownership and grant that {@code --no-owner} left out, as the statement it skipped
 * @param notes              what the operator should know (roles created without passwords, settings skipped)
 */
public record GlobalsReport(boolean backupHasGlobals, List<String> rolesCreated, List<String> membershipsGranted,
                            List<String> databaseProperties, List<String> skippedByNoOwner, List<String> notes) {

    public static GlobalsReport none() {
        return new GlobalsReport(false, List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
