package dev.cellar.restore;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a whole-server restore ({@code restore logical --all}) did: the roles it created first,
 * then one outcome per database of the run.
 *
 * @param run                the {@code backup logical --all} run restored
 * @param rolesCreated       roles created before any database (with {@code --create-roles})
 * @param membershipsGranted memberships granted with them, as "role -> member"
 * @param databases          one outcome per database, in the order restored
 * @param notInRun           databases the source cluster had when the run started but the run holds
 *                           no backup of (their backup failed)
 * @param notes              what the operator should know
 */
public record ServerRestoreResult(String run, List<String> rolesCreated, List<String> membershipsGranted, List<DatabaseOutcome> databases,
                                  List<String> notInRun, List<String> notes) {

    /**
     * One database: restored ({@code result} set) or failed ({@code error} and its exit code set).
     *
     * @param replacedEmpty the target had an empty database of that name (as a new cluster has postgres), replaced without --force
     */
    public record DatabaseOutcome(String database, String backupId, RestoreResult result, String error, Integer exitCode,
                                  boolean replacedEmpty) {
        @JsonProperty("ok")
        public boolean ok() {
            return error == null;
        }
    }

    @JsonIgnore
    public List<DatabaseOutcome> failed() {
        return databases.stream().filter(d -> !d.ok()).toList();
    }

    /** The exit code of the first database that failed (0 when none did). */
    @JsonIgnore
    public int exitCode() {
        return failed().stream().map(DatabaseOutcome::exitCode).findFirst().orElse(0);
    }
}
