package dev.cellar.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code restore_command} a restored cluster runs for every WAL file it needs. A file the
 * restore already fetched ahead into the spool is simply moved into place by the shell (no
 * program start); anything else is asked of {@code cellar wal get}, which exits non-zero for a
 * file the archive does not have, as PostgreSQL expects.
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
        return "f=" + fetched + "; if [ -f \"$f\" ]; then mv -f \"$f\" \"%p\"; else exec " + getCommand + " %f \"%p\"; fi";
    }

    /** Quotes one word for /bin/sh. */
    static String quote(String word) {
        if (word.matches("[A-Za-z0-9_./=:@%+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
