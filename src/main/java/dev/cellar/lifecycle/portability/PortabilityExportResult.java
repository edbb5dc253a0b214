package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * What an export wrote: per table the rows, and the files. No personal data besides the subject
 * as given, so it can be printed and logged.
 *
 * @param output   the folder written, or null when the JSON document went to stdout
 * @param auditTarget how the repository's audit trail names this export's subject ("subject" and its keyed hash);
 *                    null when no repository is configured and nothing was recorded
 * @param document the JSON document when it goes to stdout (not part of this record's own JSON)
 */
public record PortabilityExportResult(String subject, String database, ExportFormat format, Instant exportedAt, String policySource,
                                      String output, List<TableCount> tables, long rows, List<String> files,
                                      String auditTarget, @JsonIgnore ObjectNode document) {
    public PortabilityExportResult {
        tables = List.copyOf(tables);
        files = List.copyOf(files);
    }

    /** One table: its qualified name and the subject's rows in it. */
    public record TableCount(String table, long rows) {
    }
}
