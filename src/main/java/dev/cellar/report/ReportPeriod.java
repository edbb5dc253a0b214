package dev.cellar.report;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a report covers, in UTC: a quarter ({@code 2026Q4}) or a year, from its first
 * instant (inclusive) to the first instant of the next (exclusive).
 */
public record ReportPeriod(String label, YearMonth firstMonth, int months) {
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-?Q([1-4])", Pattern.CASE_INSENSITIVE);

    public static ReportPeriod quarter(String text) {
        Matcher m = QUARTER.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new CellarException(ErrorCode.USAGE, "'" + text + "' is not a quarter", "write a quarter as YEARQn, e.g. --quarter 2026Q4");
        }
        int year = Integer.parseInt(m.group(1));
        int quarter = Integer.parseInt(m.group(2));
        return new ReportPeriod(year + "Q" + quarter, YearMonth.of(year, quarter * 3 - 2), 3);
    }

    /** What a scheduled report asks for: the quarter before the one {@code now} is in (UTC). */
    public static final String PREVIOUS = "previous";

    /** A quarter written as 2026Q4, or {@value #PREVIOUS}: the quarter that ended last before {@code now}. */
    public static ReportPeriod quarter(String text, Instant now) {
        if (PREVIOUS.equalsIgnoreCase(text == null ? "" : text.strip())) {
            YearMonth last = monthOf(now).minusMonths(3);
            return quarter(last.getYear() + "Q" + ((last.getMonthValue() - 1) / 3 + 1));
        }
        return quarter(text);
    }

    /** A year written as 2026, or {@value #PREVIOUS}: the year before {@code now}'s (UTC). */
    public static ReportPeriod year(String text, Instant now) {
        String year = text == null ? "" : text.strip();
        if (PREVIOUS.equalsIgnoreCase(year)) {
            return year(monthOf(now).getYear() - 1);
        }
        if (!year.matches("\\d{4}")) {
            throw new CellarException(ErrorCode.USAGE, "'" + text + "' is not a year", "give a four-digit year, e.g. --year 2026, or --year previous");
        }
        return year(Integer.parseInt(year));
    }

    public static ReportPeriod year(int year) {
        if (year < 2000 || year > 9999) {
            throw new CellarException(ErrorCode.USAGE, year + " is not a year a report can cover", "give a four-digit year, e.g. --year 2026");
        }
        return new ReportPeriod(Integer.toString(year), YearMonth.of(year, 1), 12);
    }

    public Instant from() {
        return firstMonth.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The first instant after the period. */
    public Instant to() {
        return firstMonth.plusMonths(months).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public boolean contains(Instant instant) {
        return instant != null && !instant.isBefore(from()) && instant.isBefore(to());
    }

    /** The end of what the report can judge: the period's end, or {@code at} for a period in progress. */
    public Instant until(Instant at) {
        return at.isBefore(to()) ? at : to();
    }

    /** The calendar months of the period that began before {@code at}. */
    public List<YearMonth> monthsBegunBy(Instant at) {
        List<YearMonth> begun = new ArrayList<>();
        for (int i = 0; i < months; i++) {
            YearMonth month = firstMonth.plusMonths(i);
            if (month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).isBefore(at)) {
                begun.add(month);
            }
        }
        return begun;
    }

    public static YearMonth monthOf(Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC));
    }
}
