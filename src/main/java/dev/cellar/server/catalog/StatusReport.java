package dev.cellar.server.catalog;

import java.time.Instant;
import java.util.List;

/**
 * What {@code cellar status} reports: the monitoring view at an instant, its worst status, and
 * whether the catalog was brought up to date from the repository first.
 *
 * @param ingest        what the ingest before it did, or null when none ran
 * @param ingestProblem why the repository could not be ingested (the rows may be behind it), or null
 */
public record StatusReport(Instant at, NagiosStatus status, List<MonitoringRow> rows, IngestResult ingest, String ingestProblem) {

    /** The report of {@code rows}, optionally restricted to one database. */
    public static StatusReport of(Instant at, List<MonitoringRow> rows, String database, IngestResult ingest, String ingestProblem) {
        List<MonitoringRow> shown = database == null ? rows : rows.stream().filter(r -> database.equals(r.database())).toList();
        return new StatusReport(at, NagiosStatus.worstOf(shown), shown, ingest, ingestProblem);
    }
}
