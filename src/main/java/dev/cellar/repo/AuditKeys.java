package dev.cellar.repo;

import java.util.Optional;

/**
 * The names of audit records. A record is {@code audit/<sequence>.json}; a record whose number
 * is taken in a copy by another record (both written while the copies could not see each other)
 * is placed beside it as {@code audit/<sequence>-<id>.json}, where the id is the start of its
 * own MAC, so a name can only ever hold one record.
 */
final class AuditKeys {
    static final String PREFIX = RepositoryLayout.AUDIT;
    /** Hex digits of the MAC in a side-by-side name: 64 bits, no collision among one repository's records. */
    static final int ID_LENGTH = 16;

    private AuditKeys() {
    }

    /** A parsed record name: its sequence and, for a record placed beside another, its id. */
    record Name(String key, long sequence, String id) {
        boolean sideBySide() {
            return id != null;
        }
    }

    static String numbered(long sequence) {
        return PREFIX + String.format("%012d", sequence) + ".json";
    }

    static String besides(long sequence, String mac) {
        return PREFIX + String.format("%012d", sequence) + "-" + idOf(mac) + ".json";
    }

    static String idOf(String mac) {
        return mac.substring(0, Math.min(ID_LENGTH, mac.length()));
    }

    /** The name's parts, or empty for an object under audit/ that is not named like a record. */
    static Optional<Name> parse(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (!name.endsWith(".json")) {
            return Optional.empty();
        }
        String base = name.substring(0, name.length() - ".json".length());
        int dash = base.indexOf('-');
        String digits = dash < 0 ? base : base.substring(0, dash);
        String id = dash < 0 ? null : base.substring(dash + 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 18
                || (id != null && (id.isEmpty() || !id.chars().allMatch(c -> Character.digit(c, 16) >= 0)))) {
            return Optional.empty();
        }
        return Optional.of(new Name(key, Long.parseLong(digits), id));
    }
}
