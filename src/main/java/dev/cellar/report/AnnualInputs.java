package dev.cellar.report;

import dev.cellar.lifecycle.retention.RetentionPlan;
import java.util.List;
import java.util.Set;

/**
 * What the annual report reads beyond the repository: the live database's retention plan, the
 * server's TLS setting and the catalog's web users. A part that could not be read is null with
 * the reason, and its check says "not assessed" with it.
 *
 * @param retention         the retention dry run on the live database at the report's "now", or null
 * @param retentionMissing  why there is no plan (no database named, database unreachable, no policy)
 * @param serverKeystore    server.tls.keystore, or null
 * @param users             the catalog's web users, or null
 * @param usersMissing      why there are no users (no catalog configured, catalog unreachable)
 * @param archiveScheduleOn whether schedule.archive is on for the database
 * @param monthlyArchives   the month labels of the database's monthly archives in the repository
 */
public record AnnualInputs(RetentionPlan retention, String retentionMissing, String serverKeystore,
                           List<SecurityAssessment.WebUserFact> users, String usersMissing,
                           boolean archiveScheduleOn, Set<String> monthlyArchives) {
}
