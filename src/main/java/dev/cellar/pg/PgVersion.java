package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL version as programs and servers report it, reduced to the two numbers that matter
 * for compatibility: 15.18 from PostgreSQL 10 on, and 9.6 (the release series) before 10, where
 * the patch level is dropped.
 */
public record PgVersion(int major, int minor) implements Comparable<PgVersion> {

    /** The first version number in a text, e.g. "15.18", "16devel", "9.6.24". */
    private static final Pattern NUMBER = Pattern.compile("(\\d+)(?:\\.(\\d+))?");

    private static final Comparator<PgVersion> ORDER =
            Comparator.comparingInt(PgVersion::major).thenComparingInt(PgVersion::minor);

    /**
     * Reads the first version number in {@code text}: the output of {@code pg_dump --version},
     * a {@code server_version} setting ("15.18 (Debian 15.18-0+deb12u1)"), or a development
     * build ("16devel", read as 16.0).
     */
    public static PgVersion parse(String text) {
        Matcher m = NUMBER.matcher(text == null ? "" : text);
        if (!m.find()) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED,
                    "no PostgreSQL version number in '" + text + "'",
                    "check that the program or server is PostgreSQL");
        }
        return new PgVersion(Integer.parseInt(m.group(1)),
                m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /** From the {@code server_version_num} setting: 150018 is 15.18, 90624 is 9.6. */
    public static PgVersion fromServerVersionNum(int num) {
        if (num >= 100_000) {
            return new PgVersion(num / 10_000, num % 10_000);
        }
        return new PgVersion(num / 10_000, num / 100 % 100);
    }

    /**
     * The release series, which decides compatibility: 15.0 for any 15.x, but 9.6 for 9.6
     * (before PostgreSQL 10 the series had two numbers).
     */
    public PgVersion series() {
        return major >= 10 ? new PgVersion(major, 0) : this;
    }

    @Override
    public int compareTo(PgVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
