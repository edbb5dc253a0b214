package dev.cellar.report;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The annual report's "nothing required missing": with the archive schedule on, a monthly
 * archive ({@code archives/<database>/monthly/<YYYY-MM>/}) of every month of the year that ended
 * by the report's "now", allowing the schedule {@value #GRACE_DAYS} days after the month's end to run.
 */
final class MonthlyArchiveCheck {
    static final String NAME = "monthly archives present";
    static final int GRACE_DAYS = 2;

    private MonthlyArchiveCheck() {
    }

    /**
     * @param scheduleOn whether schedule.archive is on for the database
     * @param archived   the month labels the repository holds a monthly archive of
     */
    static ReportCheck evaluate(ReportPeriod period, String database, Instant at, boolean scheduleOn, Set<String> archived) {
        if (database == null) {
            return ReportCheck.notApplicable(NAME, "archives are per database: name it with --database");
        }
        if (!scheduleOn) {
            return ReportCheck.notApplicable(NAME, "schedule.archive is off for " + database + ": no monthly archive is required");
        }
        List<ReportFinding> failures = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        int required = 0;
        for (YearMonth month : period.monthsBegunBy(at)) {
            Instant due = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofDays(GRACE_DAYS));
            if (due.isAfter(at)) {
                continue;
            }
            required++;
            if (archived.contains(month.toString())) {
                evidence.add(database + "/monthly/" + month);
            } else {
                failures.add(new ReportFinding(month.toString(), "no monthly archive of " + database + " for " + month
                        + " (due by " + due + ")", List.of("archives/" + database + "/monthly/")));
            }
        }
        return ReportCheck.judged(NAME, (required - failures.size()) + " of " + required + " ended months archived", failures, evidence);
    }
}
