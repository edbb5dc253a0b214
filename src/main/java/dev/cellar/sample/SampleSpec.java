package dev.cellar.sample;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What to generate: {@code scale} units of data (one unit is about 10 MB of database, see
 * {@link SampleVolumes}), from the random {@code seed}, with a history of
 * {@code historyYears} years (default {@value #HISTORY_YEARS}) ending on {@code endDate} (inclusive). The same
 * spec always yields byte-identical data. Eight years gives retention every case its policy knows:
 * payments past 7 years, employees gone for more than 7, stock counts not touched for 3.
 */
public record SampleSpec(int scale, long seed, LocalDate endDate, int historyYears) {
    /** A fixed end date, so that default data never depends on when it was generated. */
    public static final LocalDate DEFAULT_END_DATE = LocalDate.of(2026, 10, 31);
    public static final long DEFAULT_SEED = 20_261_031L;
    public static final int HISTORY_YEARS = 3;
    public static final int MAX_HISTORY_YEARS = 15;

    public SampleSpec {
        Objects.requireNonNull(endDate, "endDate");
        if (scale < 1) {
            throw new CellarException(ErrorCode.USAGE, "sample scale must be at least 1, got " + scale,
                    "scale 1 is about 10 MB of data, scale 100 about 1 GB");
        }
        if (historyYears < 1 || historyYears > MAX_HISTORY_YEARS) {
            throw new CellarException(ErrorCode.USAGE, "sample history must be 1 to " + MAX_HISTORY_YEARS + " years, got " + historyYears,
                    "the default is " + HISTORY_YEARS + "; 8 years gives every retention rule of the shipped policy rows to act on");
        }
    }

    /** The default {@value #HISTORY_YEARS} years of history. */
    public SampleSpec(int scale, long seed, LocalDate endDate) {
        this(scale, seed, endDate, HISTORY_YEARS);
    }

    /** A history longer than the default: generators add the long-dormant rows only then, so default data never changes. */
    boolean longHistory() {
        return historyYears > HISTORY_YEARS;
    }

    /** The given scale with the default seed and end date. */
    public static SampleSpec ofScale(int scale) {
        return new SampleSpec(scale, DEFAULT_SEED, DEFAULT_END_DATE);
    }

    /** First day of the generated history. */
    public LocalDate startDate() {
        return endDate.minusYears(historyYears).plusDays(1);
    }
}
