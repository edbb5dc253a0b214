package dev.cellar.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code restore_command} a restored cluster runs for every WAL file it needs. A file the
 * restore's WAL agent already fetched ahead into the spool is simply moved into place by the
 * shell (no program start); anything else is asked of {@code cellar wal get}, which exits
 * non-zero for a file the archive does not have, as PostgreSQL expects. Timeline history files,
 * which PostgreSQL probes for at start and at promotion, were all placed in {@code pg_wal} by
 * the restore, where PostgreSQL looks when restore_command answers "not found": the shell
 * answers that at once.
 *
 * <p>{@code --recovery-of} tells {@code wal get} that the spool belongs to this recovery alone:
 * it is created on first use and deleted by its agent when the recovery is over.
 */
final class RestoreCommandLine {
    private RestoreCommandLine() {
    }

    /**
     * @param cellar  how to run Cellar against this repository
     * @param spool   the restore's spool folder, whose {@code fetched/} holds files fetched ahead
     * @param dataDir the restored data directory
     */
    static String build(CellarProgram cellar, Path spool, Path dataDir) {
        String fetched = quote(spool.resolve("fetched").toString() + "/") + "%f";
        List<String> get = new ArrayList<>(cellar.command("wal", "get"));
        get.addAll(List.of("--spool", spool.toString(), "--recovery-of", dataDir.toString()));
        String getCommand = get.stream().map(RestoreCommandLine::quote).collect(Collectors.joining(" "));
        return "f=" + fetched + "; case %f in *.history) exit 1;; "
                + "*) if [ -f \"$f\" ]; then mv -f \"$f\" \"%p\"; else exec " + getCommand + " %f \"%p\"; fi;; esac";
    }

    /** Quotes one word for /bin/sh. */
    static String quote(String word) {
        if (word.matches("[A-Za-z0-9_./=:@%+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
