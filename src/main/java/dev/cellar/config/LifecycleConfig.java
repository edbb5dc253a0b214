package dev.cellar.config;

/**
 * When the bucket moves self-contained objects (WAL, monthly archives) to colder storage
 * classes and when it expires them. Defaults are the seed's table: Standard-IA at 30 days,
 * Glacier at 90, Deep Archive at 365, gone after 2555 (7 years). Deduplicated chunks and
 * manifests are never moved or expired by the bucket: Cellar's own expire and gc remove them.
 * A value of 0 leaves that step out.
 */
public record LifecycleConfig(int infrequentAccessDays, int glacierDays, int deepArchiveDays, int expireDays) {
    public static final int DEFAULT_INFREQUENT_ACCESS_DAYS = 30;
    public static final int DEFAULT_GLACIER_DAYS = 90;
    public static final int DEFAULT_DEEP_ARCHIVE_DAYS = 365;
    public static final int DEFAULT_EXPIRE_DAYS = 2555;

    public static LifecycleConfig defaults() {
        return new LifecycleConfig(DEFAULT_INFREQUENT_ACCESS_DAYS, DEFAULT_GLACIER_DAYS, DEFAULT_DEEP_ARCHIVE_DAYS,
                DEFAULT_EXPIRE_DAYS);
    }
}
