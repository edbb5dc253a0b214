package dev.cellar.wal;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.Locale;

/** Log sequence numbers in PostgreSQL's text form {@code X/Y} (two hexadecimal 32-bit halves). */
public final class Lsn {
    private Lsn() {
    }

    public static long parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new CellarException(ErrorCode.USAGE, "'" + text + "' is not an LSN", "write it as PostgreSQL prints it, e.g. 0/3000028");
        }
        try {
            return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
        } catch (NumberFormatException e) {
            throw new CellarException(ErrorCode.USAGE, "'" + text + "' is not an LSN", "write it as PostgreSQL prints it, e.g. 0/3000028");
        }
    }

    public static String format(long lsn) {
        return String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }
}
