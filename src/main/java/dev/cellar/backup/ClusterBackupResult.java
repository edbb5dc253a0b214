package dev.cellar.backup;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code backup logical --all} did, database by database.
 *
 * @param run           the run's id, which each of its backups records (restore it with {@code restore logical --all})
 * @param rolePasswords whether the globals hold role passwords (false: the backup role could not read pg_authid)
 */
public record ClusterBackupResult(String run, boolean rolePasswords, List<DatabaseOutcome> databases) {

    /** One database: backed up ({@code backup} set) or failed ({@code error} and its exit code set). */
    public record DatabaseOutcome(String database, BackupResult backup, String error, Integer exitCode) {
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
