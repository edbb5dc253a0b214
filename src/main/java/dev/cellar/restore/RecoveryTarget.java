package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.Lsn;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where point-in-time recovery stops, and what the server does there, as the
 * {@code recovery_target_*} settings of PostgreSQL 12 and later express it.
 *
 * @param kind      which kind of target
 * @param value     the target as given (normalised for a time), null for latest / immediate
 * @param time      for a time target, the instant
 * @param inclusive whether recovery stops just after (true) or just before (false) the target
 * @param timeline  {@code recovery_target_timeline}: latest, current or a number
 * @param action    {@code recovery_target_action}: promote, pause or shutdown
 */
public record RecoveryTarget(Kind kind, String value, Instant time, boolean inclusive, String timeline, String action) {

    public enum Kind { LATEST, IMMEDIATE, TIME, LSN, XID, NAME }

    private static final DateTimeFormatter INPUT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter FOR_POSTGRES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx", Locale.ROOT);

    public RecoveryTarget {
        if (!action.equals("promote") && !action.equals("pause") && !action.equals("shutdown")) {
            throw new CellarException(ErrorCode.USAGE, "--target-action must be promote, pause or shutdown, got '" + action + "'");
        }
        if (!timeline.equals("latest") && !timeline.equals("current") && !timeline.matches("[0-9]+")) {
            throw new CellarException(ErrorCode.USAGE, "--target-timeline must be latest, current or a timeline number, got '" + timeline + "'");
        }
    }

    public static RecoveryTarget latest(String timeline, String action) {
        return new RecoveryTarget(Kind.LATEST, null, null, true, timeline, action);
    }

    public static RecoveryTarget immediate(String timeline, String action) {
        return new RecoveryTarget(Kind.IMMEDIATE, null, null, true, timeline, action);
    }

    /** A time as an operator types it; without an offset it means this machine's time zone. */
    public static RecoveryTarget time(String text, boolean inclusive, String timeline, String action, ZoneId zone) {
        Instant instant = parseTime(text, zone);
        String normalised = FOR_POSTGRES.format(instant.atOffset(ZoneOffset.UTC));
        return new RecoveryTarget(Kind.TIME, normalised, instant, inclusive, timeline, action);
    }

    public static RecoveryTarget lsn(String text, boolean inclusive, String timeline, String action) {
        return new RecoveryTarget(Kind.LSN, Lsn.format(Lsn.parse(text)), null, inclusive, timeline, action);
    }

    public static RecoveryTarget xid(String text, boolean inclusive, String timeline, String action) {
        if (!text.matches("[0-9]+")) {
            throw new CellarException(ErrorCode.USAGE, "--target-xid must be a transaction id (a number), got '" + text + "'");
        }
        return new RecoveryTarget(Kind.XID, text, null, inclusive, timeline, action);
    }

    public static RecoveryTarget name(String text, String timeline, String action) {
        if (text.isBlank() || text.length() > 63) {
            throw new CellarException(ErrorCode.USAGE, "--target-name must be a restore point name of 1..63 characters");
        }
        return new RecoveryTarget(Kind.NAME, text, null, true, timeline, action);
    }

    static Instant parseTime(String text, ZoneId zone) {
        try {
            var parsed = INPUT.parseBest(text.strip(), OffsetDateTime::from, LocalDateTime::from);
            return parsed instanceof OffsetDateTime odt ? odt.toInstant() : ((LocalDateTime) parsed).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new CellarException(ErrorCode.USAGE, "--target-time '" + text + "' is not a time",
                    "write it like 2026-11-24 14:30:00+01 or 2026-11-24T13:30:00Z (no offset: this machine's time zone)");
        }
    }

    /** The recovery settings for postgresql.auto.conf, in the order they are written. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        switch (kind) {
            case LATEST -> { }
            case IMMEDIATE -> settings.put("recovery_target", "immediate");
            case TIME -> settings.put("recovery_target_time", value);
            case LSN -> settings.put("recovery_target_lsn", value);
            case XID -> settings.put("recovery_target_xid", value);
            case NAME -> settings.put("recovery_target_name", value);
        }
        if (kind == Kind.TIME || kind == Kind.LSN || kind == Kind.XID) {
            settings.put("recovery_target_inclusive", inclusive ? "on" : "off");
        }
        settings.put("recovery_target_timeline", timeline);
        if (kind != Kind.LATEST) {
            settings.put("recovery_target_action", action);
        }
        return settings;
    }

    public String describe() {
        return switch (kind) {
            case LATEST -> "the end of the archived WAL";
            case IMMEDIATE -> "the end of the backup (earliest consistent point)";
            case TIME -> "time " + value + (inclusive ? "" : " (exclusive)");
            case LSN -> "LSN " + value + (inclusive ? "" : " (exclusive)");
            case XID -> "transaction " + value + (inclusive ? "" : " (exclusive)");
            case NAME -> "restore point '" + value + "'";
        };
    }
}
