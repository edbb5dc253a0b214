package dev.cellar.config;

/**
 * How long backups are kept. Expiry never removes a backup that a retained backup or the
 * point-in-time recovery window still needs; these are lower bounds, not deletion dates.
 *
 * @param fullDays days a full backup is kept
 * @param walDays  days of WAL kept, i.e. how far back point-in-time recovery can reach
 */
public record RetentionConfig(int fullDays, int walDays) {
    public static final int DEFAULT_FULL_DAYS = 30;
    public static final int DEFAULT_WAL_DAYS = 7;

    public RetentionConfig {
        ConfigKey.RETENTION_FULL_DAYS.checkRange(fullDays);
        ConfigKey.RETENTION_WAL_DAYS.checkRange(walDays);
    }
}
