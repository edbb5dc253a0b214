package dev.cellar.backup;

import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgServerInfo;
import dev.cellar.pg.PgVersion;
import java.nio.file.Path;

/**
 * A database checked and ready to dump: reachable, its server version known, and a pg_dump at
 * least as new as the server found. Preparing it needs no repository, so the CLI does it while
 * the repository key is being derived.
 */
public record DumpSource(PgConnectionSpec database, PgServerInfo server, PgBinaries binaries, PgVersion pgDumpVersion) {

    /** Connects, reads the server version and picks the pg_dump; fails with a clear error otherwise. */
    public static DumpSource prepare(PgConnectionSpec database, Path configuredBinDir) {
        PgServerInfo server = PgServerInfo.query(database);
        PgBinaries binaries = PgBinaries.locateFor(configuredBinDir, server.version());
        binaries.requireAtLeast("pg_dump", server.version());
        return new DumpSource(database, server, binaries, binaries.version("pg_dump"));
    }
}
