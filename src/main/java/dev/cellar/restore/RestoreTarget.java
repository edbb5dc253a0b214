package dev.cellar.restore;

import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgServerInfo;
import java.nio.file.Path;

/**
 * The server a restore goes to, checked: reachable, its version known and its binaries found.
 * Preparing it needs no repository, so the CLI does it while the repository key is derived.
 *
 * @param server maintenance connection (CREATE/DROP DATABASE go through it)
 */
public record RestoreTarget(PgConnectionSpec server, PgServerInfo info, PgBinaries binaries) {

    public static RestoreTarget prepare(PgConnectionSpec server, Path configuredBinDir) {
        PgServerInfo info = PgServerInfo.query(server);
        return new RestoreTarget(server, info, PgBinaries.locateFor(configuredBinDir, info.version()));
    }
}
