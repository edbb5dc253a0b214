package dev.cellar.lifecycle.policy;

import java.time.LocalDate;
import java.time.Period;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a category's rows are kept, written as people say it ("7 years", "18 months",
 * "30 days"). Calendar units rather than a fixed number of days, so "7 years" ends on the same
 * calendar day whatever leap years lie between.
 */
public record RetentionPeriod(int amount, Unit unit) {
    private static final Pattern TEXT = Pattern.compile("\\s*([0-9]{1,4})\\s+([a-z]+)\\s*");

    /** The calendar units a retention may be written in. */
    public enum Unit {
        DAYS, MONTHS, YEARS
    }

    public RetentionPeriod {
        if (amount <= 0) {
            throw new IllegalArgumentException("a retention must be positive: " + amount);
        }
    }

    /** "7 years", "1 year", "18 months", "30 days"; empty for anything else. */
    public static Optional<RetentionPeriod> parse(String text) {
        Matcher m = TEXT.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        int amount = Integer.parseInt(m.group(1));
        if (amount == 0) {
            return Optional.empty();
        }
        Unit unit = switch (m.group(2)) {
            case "day", "days" -> Unit.DAYS;
            case "month", "months" -> Unit.MONTHS;
            case "year", "years" -> Unit.YEARS;
            default -> null;
        };
        return Optional.ofNullable(unit).map(u -> new RetentionPeriod(amount, u));
    }

    public Period asPeriod() {
        return switch (unit) {
            case DAYS -> Period.ofDays(amount);
            case MONTHS -> Period.ofMonths(amount);
            case YEARS -> Period.ofYears(amount);
        };
    }

    /** The first day on which a row dated {@code dated} is past this retention. */
    public LocalDate dueOn(LocalDate dated) {
        return dated.plus(asPeriod());
    }

    @Override
    public String toString() {
        String name = unit.name().toLowerCase(Locale.ROOT);
        return amount + " " + (amount == 1 ? name.substring(0, name.length() - 1) : name);
    }
}
