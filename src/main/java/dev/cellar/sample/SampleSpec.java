package dev.cellar.sample;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What to generate: {@code scale} units of data (one unit is about 10 MB of database, see
 * {@link SampleVolumes}), from the random {@code seed}, with a history of
 * {@value #HISTORY_YEARS} years ending on {@code endDate} (inclusive). The same spec always yields
 * byte-identical data.
 */
public record SampleSpec(int scale, long seed, LocalDate endDate) {
    /** A fixed end date, so that default data never depends on when it was generated. */
    public static final LocalDate DEFAULT_END_DATE = LocalDate.of(2026, 10, 31);
    public static final long DEFAULT_SEED = 20_261_031L;
    public static final int HISTORY_YEARS = 3;

    public SampleSpec {
        Objects.requireNonNull(endDate, "endDate");
        if (scale < 1) {
            throw new CellarException(ErrorCode.USAGE, "sample scale must be at least 1, got " + scale,
                    "scale 1 is about 10 MB of data, scale 100 about 1 GB");
        }
    }

    /** The given scale with the default seed and end date. */
    public static SampleSpec ofScale(int scale) {
        return new SampleSpec(scale, DEFAULT_SEED, DEFAULT_END_DATE);
    }

    /** First day of the generated history. */
    public LocalDate startDate() {
        return endDate.minusYears(HISTORY_YEARS).plusDays(1);
    }
}
