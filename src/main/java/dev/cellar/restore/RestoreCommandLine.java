package dev.cellar.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code restore_command} a restored cluster runs for every WAL file it needs. A file the
 * restore already fetched ahead into the spool is simply moved into place by the shell (no
 * program start); anything else is asked of {@code cellar wal get}, which exits non-zero for a
 * file the archive does not have, as PostgreSQL expects. Timeline history files, which
 * PostgreSQL probes for at start and at promotion, are all fetched before the server starts,
 * so a missing one is answered by the shell at once.
 */
final class RestoreCommandLine {
    private RestoreCommandLine() {
    }

    /**
     * @param cellar how to run Cellar against this repository
     * @param spool  folder whose {@code fetched/} holds files fetched ahead
     */
    static String build(CellarProgram cellar, Path spool) {
        String fetched = quote(spool.resolve("fetched").toString() + "/") + "%f";
        List<String> get = new ArrayList<>(cellar.command("wal", "get"));
        get.addAll(List.of("--spool", spool.toString()));
        String getCommand = get.stream().map(RestoreCommandLine::quote).collect(Collectors.joining(" "));
        // history files were all fetched before the server started and are asked for more than once
        return "f=" + fetched + "; case %f in *.history) if [ -f \"$f\" ]; then cp \"$f\" \"%p\"; else exit 1; fi;; "
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
