package dev.cellar.lifecycle.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one {@code retention apply} run did: the archive that holds the rows it deleted, and per
 * table the rows deleted, the rows skipped because they changed since the archive was taken (a user
 * active again), and the rows detached.
 */
public record RetentionApplyResult(String runId, String database, Instant at, String archiveId, List<TableResult> tables,
                                   long batches, Duration duration) {
    public RetentionApplyResult {
        tables = List.copyOf(tables);
    }

    public long deleted() {
        return tables.stream().mapToLong(TableResult::deleted).sum();
    }

    public long skipped() {
        return tables.stream().mapToLong(TableResult::skipped).sum();
    }

    /** One table, in the order tables were emptied. */
    public record TableResult(String table, long archived, long deleted, long skipped, long detached) {
    }
}
