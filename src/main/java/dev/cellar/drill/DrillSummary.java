package dev.cellar.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The verdict of one drill as the quarterly and annual reports read it: stored as
 * {@value #FILE}, the first file of the drill's report folder ({@code reports/drill/<id>/}), so a
 * drill whose summary is there stored its whole report.
 *
 * @param id           the drill's id (sorts by time, like backup ids)
 * @param passed       every check passed and every objective was met
 * @param rto          from the drill's start to the slowest restored copy ready for the application
 * @param rpo          from the moment the drill treated as the disaster to the newest commit recovered;
 *                     null when the drill restored no physical backup
 * @param rtoObjective the tightest RTO objective the drill compared with
 * @param rpoObjective the tightest RPO objective the drill compared with
 * @param failures     why the drill failed, one line each; empty when it passed
 * @param backupIds    the backups the drill restored
 */
public record DrillSummary(String id, String database, Instant started, Instant finished, boolean passed, Duration rto, Duration rpo,
                           Duration rtoObjective, Duration rpoObjective, List<String> failures, List<String> backupIds) {
    public static final String FILE = "summary.json";
}
