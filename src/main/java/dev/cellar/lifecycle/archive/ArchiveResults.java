package dev.cellar.lifecycle.archive;

import dev.cellar.lifecycle.erasure.ErasureReapplication;
import java.util.List;

/** The typed results of the archive commands: the CLI renders them as text or JSON, the daemon and API use them as they are. */
public final class ArchiveResults {
    private ArchiveResults() {
    }

    /** {@code cellar archive create}: the archive written and verified. */
    public record Created(String archiveId, String month, String policySource, List<Archiver.TableCount> tables, long rows, long bytes,
                          String lockedUntil, boolean locked, boolean replaced, List<String> warnings) {
        public Created {
            tables = List.copyOf(tables);
            warnings = List.copyOf(warnings);
        }
    }

    /** {@code cellar archive list}. */
    public record Listed(List<RepositoryArchiver.ArchiveListing> archives) {
        public Listed {
            archives = List.copyOf(archives);
        }
    }

    /** One table loaded by a restore. */
    public record RestoredTable(String table, long rows) {
    }

    /** {@code cellar archive restore --target-db}: the tables created and loaded, and the erasures applied again. */
    public record Restored(String archiveId, String targetDatabase, boolean created, List<RestoredTable> tables, long rows,
                           ErasureReapplication erasures) {
        public Restored {
            tables = List.copyOf(tables);
        }
    }

    /** {@code cellar archive restore --table --where}: the matching rows, as text the way the archive's CSV holds them. */
    public record Lookup(String archiveId, String table, String where, List<String> columns, List<List<String>> rows) {
        public Lookup {
            columns = List.copyOf(columns);
            rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
        }
    }

    /** {@code cellar archive key}. */
    public record Key(String repository, String purpose, String keyHex) {
    }
}
