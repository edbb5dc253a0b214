package dev.cellar.drill.check;

import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.BackupManifest.TableEntry;
import java.nio.file.Path;
import java.util.List;

/**
 * What the consistency checks run against.
 *
 * @param restored       the restored copy (a scratch database, or a database of the scratch cluster)
 * @param source         the database the backup was taken of, for the performance comparison; null when unreachable
 * @param expectedTables the row counts recorded at backup time, or an empty list when the copy is not the backup's
 *                       own snapshot (a physical restore recovered to a later point in time)
 * @param binDir         the configured PostgreSQL bin folder (pg_amcheck), or null to search
 * @param database       the source database's name: which shipped invariant and query sets apply
 */
public record CheckTarget(PgConnectionSpec restored, PgConnectionSpec source, List<TableEntry> expectedTables, Path binDir,
                          String database) {
}
