package dev.cellar.globals;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.RepositoryJson;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The cluster-wide objects of one PostgreSQL cluster at one moment, as a logical backup stores
 * them (JSON, chunked and encrypted like the dump): the {@code pg_dumpall --globals-only} script
 * and the databases the cluster had.
 *
 * @param rolePasswords false when the backup role could not read {@code pg_authid}, so the script
 *                      was taken with {@code --no-role-passwords} and holds no password
 * @param databases     the cluster's databases that accept connections, except template0/template1
 * @param script        pg_dumpall's output, without its per-run {@code \restrict} lines
 */
public record ClusterGlobals(int formatVersion, Instant takenAt, String serverVersion, String pgDumpallVersion, boolean rolePasswords,
                             List<String> databases, String script) {
    public static final String STREAM_NAME = "globals";
    public static final String STREAM_FORMAT = "cellar-globals-json";
    public static final int FORMAT_VERSION = 1;

    public ClusterGlobals {
        databases = databases == null ? List.of() : List.copyOf(databases);
    }

    public byte[] toJson() {
        return RepositoryJson.write(this);
    }

    public static ClusterGlobals fromJson(byte[] json, String what) {
        try {
            ClusterGlobals globals = RepositoryJson.read(json, ClusterGlobals.class);
            if (globals.formatVersion() > FORMAT_VERSION) {
                throw new CellarException(ErrorCode.REPOSITORY_INVALID, what + " has globals format " + globals.formatVersion()
                        + ", newer than this Cellar reads (" + FORMAT_VERSION + ")", "restore with the Cellar version that took the backup, or a newer one");
            }
            return globals;
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTEGRITY, what + " holds globals that are not valid JSON: " + e.getMessage(),
                    "restore another backup ('cellar list'), or use --no-owner and create the roles by hand");
        }
    }

    /** The script, sorted by role, membership and tablespace. */
    public GlobalsScript parsed() {
        return GlobalsScript.parse(script);
    }
}
