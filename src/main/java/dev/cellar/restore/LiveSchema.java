package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.ArchiveToc;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.RunningProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The table of contents of a database as it is now: a schema-only pg_dump of it. A table restore
 * compares it with the backup's, so both sides are rendered by pg_dump and a dependent that still
 * equals the backup's reads the same, character for character.
 */
final class LiveSchema {
    private LiveSchema() {
    }

    static ArchiveToc of(PgBinaries binaries, PgConnectionSpec database, Path workDir) {
        Path file = null;
        try {
            file = Files.createTempFile(workDir, "cellar-live-schema-", ".dump");
            List<String> args = database.libpqArguments();
            args.addAll(List.of("--dbname=" + database.database(), "--schema-only", "--format=custom", "--file=" + file));
            try (RunningProgram pgDump = RunningProgram.start(binaries.path("pg_dump"), args, database.libpqEnvironment(),
                    ProcessBuilder.Redirect.INHERIT, ProcessBuilder.Redirect.DISCARD)) {
                int exit = pgDump.awaitExit();
                if (exit != 0) {
                    throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "cannot read the schema of database " + database.database()
                            + " to check what depends on the tables to restore; nothing was changed: pg_dump --schema-only failed (exit code "
                            + exit + "): " + pgDump.stderrSummary(),
                            "the restoring role must be able to pg_dump the target's schema (and lock its tables)");
                }
            }
            return ArchiveToc.read(file);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.STORAGE_FULL, "cannot write or read the schema dump of database " + database.database()
                    + " in " + workDir + ": " + e.getMessage(), "set backup.work-dir to a writable folder with free space");
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temp file harms nothing
                }
            }
        }
    }
}
