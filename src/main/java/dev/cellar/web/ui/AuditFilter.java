package dev.cellar.web.ui;

import dev.cellar.repo.AuditRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The audit page's filter: records by a user, of an operation (a prefix: {@code backup} finds both backup
 * kinds), within days (UTC, both ends included); newest first and at most {@link #SHOWN}.
 *
 * @param user      null or blank for everyone
 * @param operation null or blank for every operation
 * @param from      null for no lower bound
 * @param to        null for no upper bound
 */
public record AuditFilter(String user, String operation, LocalDate from, LocalDate to) {
    static final int SHOWN = 500;

    public List<AuditRecord> apply(List<AuditRecord> records) {
        Instant start = from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return records.stream()
                .filter(r -> blank(user) || user.trim().equalsIgnoreCase(r.user()))
                .filter(r -> blank(operation) || (r.operation() != null
                        && r.operation().toLowerCase(Locale.ROOT).startsWith(operation.trim().toLowerCase(Locale.ROOT))))
                .filter(r -> start == null || !r.time().isBefore(start))
                .filter(r -> end == null || r.time().isBefore(end))
                .sorted(Comparator.comparingLong(AuditRecord::sequence).reversed())
                .limit(SHOWN).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
