package dev.cellar.server.catalog;

import java.util.List;
import java.util.Map;

/**
 * What one ingest of the repository into {@code backup_log} did.
 *
 * @param rebuilt       whether the table was emptied first ({@code cellar catalog rebuild})
 * @param auditRecords  records of the audit trail read
 * @param inserted      rows added
 * @param updated       rows whose operation ended, or whose backup was expired or copied, since the last ingest
 * @param insertedByOperation rows added per operation (backup.logical, verify, ...)
 * @param notes         what could not be read (a copy unreachable, a damaged manifest) and was left out
 */
public record IngestResult(boolean rebuilt, int auditRecords, int inserted, int updated, Map<String, Integer> insertedByOperation,
                           List<String> notes) {
}
