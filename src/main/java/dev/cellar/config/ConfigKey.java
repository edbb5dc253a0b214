package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every setting Cellar reads, with its type and allowed range: the one table of keys. The YAML
 * file, the {@code CELLAR_*} environment and command-line overrides all name settings through it,
 * so a key that is not here is a typo and can be reported as one; hints name a setting through
 * {@link #dotted()} and {@link #env()}, and a test holds docs/configuration.md, the example file
 * and every message to the names in this table. The other {@code CELLAR_*} variables, which are
 * not settings, are listed in {@link CellarVariable}.
 */
public enum ConfigKey {
    REPOSITORY_PATH("repository.path", Kind.LOCATION),
    REPOSITORY_PASSPHRASE_FILE("repository.passphrase-file", Kind.PATH),
    REPOSITORY_PASSPHRASE_ENV("repository.passphrase-env", Kind.ENV_NAME),
    REPOSITORY_KEY_FILE("repository.key-file", Kind.PATH),
    DATABASE_HOST("database.host", Kind.TEXT),
    DATABASE_PORT("database.port", 1, 65535),
    DATABASE_USER("database.user", Kind.TEXT),
    DATABASE_NAME("database.name", Kind.TEXT),
    DATABASE_PASSWORD_FILE("database.password-file", Kind.PATH),
    DATABASE_PASSWORD_ENV("database.password-env", Kind.ENV_NAME),
    /** Also read from {@code CELLAR_PG_BIN_DIR}, the name older documentation gave it. */
    POSTGRES_BIN_DIR("postgres.bin-dir", Kind.PATH, "CELLAR_PG_BIN_DIR"),
    POSTGRES_DATA_DIR("postgres.data-dir", Kind.PATH),
    BACKUP_COMPRESSION_LEVEL("backup.compression-level", 1, 19),
    BACKUP_JOBS("backup.jobs", 1, 1024),
    BACKUP_WORK_DIR("backup.work-dir", Kind.PATH),
    BACKUP_CHUNK_AVG_KIB("backup.chunk-avg-kib", 64, 16384),
    RETENTION_FULL_DAYS("retention.full-days", 1, 36500),
    RETENTION_WAL_DAYS("retention.wal-days", 1, 36500),
    WAL_SPOOL_PATH("wal.spool-path", Kind.PATH),
    WAL_COMPRESSION_LEVEL("wal.compression-level", 1, 19),
    WAL_AGENT_IDLE_MINUTES("wal.agent-idle-minutes", 0, 100000),
    WAL_RPO_SECONDS("wal.rpo-seconds", 1, 86400),
    WAL_STREAM_SLOT("wal.stream-slot", Kind.TEXT),
    S3_ENDPOINT("s3.endpoint", Kind.TEXT),
    S3_REGION("s3.region", Kind.TEXT),
    S3_PATH_STYLE("s3.path-style", Kind.BOOLEAN),
    S3_CHECKSUM_MODE("s3.checksum-mode", Kind.TEXT),
    S3_CA_BUNDLE("s3.ca-bundle", Kind.PATH),
    S3_ACCESS_KEY_ID_ENV("s3.access-key-id-env", Kind.ENV_NAME),
    S3_SECRET_ACCESS_KEY_ENV("s3.secret-access-key-env", Kind.ENV_NAME),
    S3_PROFILE("s3.profile", Kind.TEXT),
    S3_CREDENTIALS_FILE("s3.credentials-file", Kind.PATH),
    S3_STORAGE_CLASS("s3.storage-class", Kind.TEXT),
    S3_WAL_STORAGE_CLASS("s3.wal-storage-class", Kind.TEXT),
    S3_MAX_ATTEMPTS("s3.max-attempts", 1, 20),
    S3_PART_SIZE_MIB("s3.part-size-mib", 5, 5120),
    S3_UPLOAD_THREADS("s3.upload-threads", 1, 64),
    WORM_MODE("worm.mode", Kind.TEXT),
    WORM_RETAIN_DAYS("worm.retain-days", 1, 36500),
    WORM_KINDS("worm.kinds", Kind.LIST),
    WORM_DATABASES("worm.databases", Kind.LIST),
    LIFECYCLE_INFREQUENT_ACCESS_DAYS("lifecycle.infrequent-access-days", 0, 36500),
    LIFECYCLE_GLACIER_DAYS("lifecycle.glacier-days", 0, 36500),
    LIFECYCLE_DEEP_ARCHIVE_DAYS("lifecycle.deep-archive-days", 0, 36500),
    LIFECYCLE_EXPIRE_DAYS("lifecycle.expire-days", 0, 36500),
    // the catalog (backup_log, backup_monitoring) and the server's state folder: docs/catalog.md
    CATALOG_URL("catalog.url", Kind.TEXT),
    CATALOG_USER("catalog.user", Kind.TEXT),
    CATALOG_PASSWORD_FILE("catalog.password-file", Kind.PATH),
    CATALOG_PASSWORD_ENV("catalog.password-env", Kind.ENV_NAME),
    SERVER_STATE_DIR("server.state-dir", Kind.PATH),
    // schedule: what cellar server runs when (issue 11); a databases: entry overrides all but sync per database
    SCHEDULE_FULL("schedule.full", Kind.TEXT),
    SCHEDULE_INCREMENTAL("schedule.incremental", Kind.TEXT),
    SCHEDULE_VERIFY("schedule.verify", Kind.TEXT),
    SCHEDULE_SYNC("schedule.sync", Kind.TEXT),
    /** When the server writes the quarterly audit report of the quarter that ended; for the whole repository. */
    SCHEDULE_QUARTERLY_REPORT("schedule.quarterly-report", Kind.TEXT),
    /** When the server writes the annual audit report of the year that ended; for the whole repository. */
    SCHEDULE_ANNUAL_REPORT("schedule.annual-report", Kind.TEXT),
    SCHEDULE_TIME_ZONE("schedule.time-zone", Kind.TEXT),
    SCHEDULE_TIMEOUT_MINUTES("schedule.timeout-minutes", 1, 10080),
    SCHEDULE_RPO_OBJECTIVE_SECONDS("schedule.rpo-objective-seconds", 60, 604800),
    SCHEDULE_WAL_STREAM("schedule.wal-stream", Kind.BOOLEAN),

    // alerts (issue 11, part D): thresholds of the alert conditions and the channels that carry them
    ALERTS_SIZE_DEVIATION_PERCENT("alerts.size-deviation-percent", 1, 1000),
    ALERTS_SIZE_COMPARABLE_BACKUPS("alerts.size-comparable-backups", 1, 100),
    ALERTS_WAL_DELAY_MINUTES("alerts.wal-delay-minutes", 1, 100000),
    ALERTS_STREAM_LAG_MIB("alerts.stream-lag-mib", 1, 1048576),
    ALERTS_SPACE_FREE_PERCENT("alerts.space-free-percent", 1, 99),
    ALERTS_SPACE_DAYS_UNTIL_FULL("alerts.space-days-until-full", 1, 3650),
    ALERTS_BUCKET_QUOTA_GIB("alerts.bucket-quota-gib", 0, 104857600),
    ALERTS_COPY_BEHIND_MINUTES("alerts.copy-behind-minutes", 1, 100000),
    ALERTS_VERIFY_MAX_DAYS("alerts.verify-max-days", 1, 3650),
    ALERTS_REMIND_MINUTES("alerts.remind-minutes", 0, 100000),
    ALERTS_SMTP_HOST("alerts.smtp-host", Kind.TEXT),
    ALERTS_SMTP_PORT("alerts.smtp-port", 1, 65535),
    ALERTS_SMTP_STARTTLS("alerts.smtp-starttls", Kind.TEXT),
    ALERTS_SMTP_USER("alerts.smtp-user", Kind.TEXT),
    ALERTS_SMTP_PASSWORD_FILE("alerts.smtp-password-file", Kind.PATH),
    ALERTS_SMTP_PASSWORD_ENV("alerts.smtp-password-env", Kind.ENV_NAME),
    ALERTS_EMAIL_FROM("alerts.email-from", Kind.TEXT),
    ALERTS_EMAIL_TO("alerts.email-to", Kind.LIST),
    ALERTS_WEBHOOK_URL("alerts.webhook-url", Kind.TEXT),
    ALERTS_WEBHOOK_SECRET_FILE("alerts.webhook-secret-file", Kind.PATH),
    ALERTS_WEBHOOK_SECRET_ENV("alerts.webhook-secret-env", Kind.ENV_NAME),
    ALERTS_WEBHOOK_FORMAT("alerts.webhook-format", Kind.TEXT),
    // cellar server: metrics and health endpoints (issue 11, monitoring)
    SERVER_LISTEN("server.listen", Kind.TEXT),
    SERVER_HEALTH_TICK_AGE_SECONDS("server.health-tick-age-seconds", 10, 86400),
    // web users, sessions, second factor and login throttling (issue 12, web auth): docs/web-security.md
    WEB_SECOND_FACTOR_FRESH_MINUTES("web.second-factor-fresh-minutes", 1, 60),
    WEB_SESSION_IDLE_MINUTES("web.session-idle-minutes", 1, 1440),
    WEB_SESSION_MAX_HOURS("web.session-max-hours", 1, 720),
    WEB_LOGIN_ATTEMPTS_PER_MINUTE("web.login-attempts-per-minute", 1, 1000),
    WEB_LOCKOUT_AFTER_FAILURES("web.lockout-after-failures", 1, 100),
    WEB_LOCKOUT_MINUTES("web.lockout-minutes", 1, 10080),
    // REST API: four-eyes approval of destructive operations (issue 12, web api part)
    /** Also a key of a {@code databases:} entry ({@code four-eyes: true}), like the other database.* keys. */
    DATABASE_FOUR_EYES("database.four-eyes", Kind.BOOLEAN),
    WEB_APPROVAL_EXPIRY_MINUTES("web.approval-expiry-minutes", 1, 10080),

    // web access (issue 12, OIDC login and HTTPS): docs/web-login.md
    SERVER_TLS_KEYSTORE("server.tls.keystore", Kind.PATH),
    SERVER_TLS_KEYSTORE_PASSWORD_FILE("server.tls.keystore-password-file", Kind.PATH),
    SERVER_TLS_KEYSTORE_PASSWORD_ENV("server.tls.keystore-password-env", Kind.ENV_NAME),
    WEB_ALLOW_HTTP_ON_LOOPBACK("web.allow-http-on-loopback", Kind.BOOLEAN),
    WEB_OIDC_ISSUER("web.oidc.issuer", Kind.TEXT),
    WEB_OIDC_CLIENT_ID("web.oidc.client-id", Kind.TEXT),
    WEB_OIDC_CLIENT_SECRET_FILE("web.oidc.client-secret-file", Kind.PATH),
    WEB_OIDC_CLIENT_SECRET_ENV("web.oidc.client-secret-env", Kind.ENV_NAME),
    WEB_OIDC_REDIRECT_URI("web.oidc.redirect-uri", Kind.TEXT),
    WEB_OIDC_USERNAME_CLAIM("web.oidc.username-claim", Kind.TEXT),
    WEB_OIDC_GROUPS_CLAIM("web.oidc.groups-claim", Kind.TEXT),
    WEB_OIDC_ROLE_MAPPING("web.oidc.role-mapping", Kind.LIST),
    WEB_OIDC_TRUST_PROVIDER_MFA("web.oidc.trust-provider-mfa", Kind.BOOLEAN),

    // data lifecycle (issue 13): docs/data-policy.md
    /** Also a key of a {@code databases:} entry ({@code policy: shop-policy.yaml}), like the other database.* keys. */
    DATABASE_POLICY("database.policy", Kind.PATH),

    // data lifecycle, monthly archive and retention jobs (issue 13): docs/data-lifecycle.md
    /** When the server archives the month that ended; also a key of a {@code databases:} entry, like the other schedule.* keys. */
    SCHEDULE_ARCHIVE("schedule.archive", Kind.TEXT),
    /** When the server runs {@code retention apply}; also a key of a {@code databases:} entry. */
    SCHEDULE_RETENTION("schedule.retention", Kind.TEXT),

    // DR drills (issue 14): docs/drills.md
    /** The default RTO objective of a drill ("4 hours"); a data category's rto: may be tighter. */
    DRILL_RTO_OBJECTIVE("drill.rto-objective", Kind.TEXT),
    /** The default RPO objective of a drill ("15 minutes"); a data category's rpo: may be tighter. */
    DRILL_RPO_OBJECTIVE("drill.rpo-objective", Kind.TEXT),
    /** Longest wait for the drill's restore point to reach the WAL archive. */
    DRILL_WAL_WAIT("drill.wal-wait", Kind.TEXT),
    /** How long the heartbeat runs before the disaster moment. */
    DRILL_RPO_WINDOW("drill.rpo-window", Kind.TEXT),
    /** Where scratch clusters are created (default: the temp folder). */
    DRILL_WORK_DIR("drill.work-dir", Kind.PATH),
    /** When the server runs a drill; also a key of a {@code databases:} entry, like the other schedule.* keys. */
    SCHEDULE_DRILL("schedule.drill", Kind.TEXT),
    /** The check set file (invariants and timed queries) that replaces the one shipped for the database: docs/drill-checks.md. */
    DRILL_CHECKS("drill.checks", Kind.PATH),


    // cellar recover and the weekly test restore on staging (issue 14): docs/recover.md, docs/verify.md
    /** Commands run in order before a recovery touches the database, each through /bin/sh -c. */
    RECOVER_PRE_HOOKS("recover.pre-hooks", Kind.LIST),
    /** Commands run in order after the restore, whether it succeeded or not. */
    RECOVER_POST_HOOKS("recover.post-hooks", Kind.LIST),
    RECOVER_HOOK_TIMEOUT_SECONDS("recover.hook-timeout-seconds", 1, 86400),
    VERIFY_STAGING_HOST("verify.staging.host", Kind.TEXT),
    VERIFY_STAGING_PORT("verify.staging.port", 1, 65535),
    VERIFY_STAGING_USER("verify.staging.user", Kind.TEXT),
    VERIFY_STAGING_PASSWORD_FILE("verify.staging.password-file", Kind.PATH),
    VERIFY_STAGING_DATABASE("verify.staging.database", Kind.TEXT),

    // S3 round trips (issue 15): docs/s3-storage.md
    /** Requests a backup keeps in flight to an S3 store: latency, not CPU, is what they wait for. */
    S3_MAX_CONCURRENCY("s3.max-concurrency", 1, 256),

    // TLS everywhere Cellar connects (issue 16, part 3): docs/tls.md
    DATABASE_SSLMODE("database.sslmode", Kind.TEXT),
    DATABASE_SSLROOTCERT("database.sslrootcert", Kind.PATH),
    DATABASE_SSLCERT("database.sslcert", Kind.PATH),
    DATABASE_SSLKEY("database.sslkey", Kind.PATH),
    DATABASE_TLS_MIN_VERSION("database.tls-min-version", Kind.TEXT),
    S3_TLS_MIN_VERSION("s3.tls-min-version", Kind.TEXT),
    ALERTS_TLS_MIN_VERSION("alerts.tls-min-version", Kind.TEXT),

    // key slots (issue 16): docs/keys.md
    /** The PKCS#11 module (a .so); unset: SoftHSM2's, found in the usual library folders. */
    REPOSITORY_PKCS11_LIBRARY("repository.pkcs11.library", Kind.PATH),
    /** The token's slot id, as softhsm2-util --show-slots or pkcs11-tool -L print it; wins over slot-index. */
    REPOSITORY_PKCS11_SLOT("repository.pkcs11.slot", 0, Integer.MAX_VALUE),
    /** The token's position in the module's slot list (default 0: the first). */
    REPOSITORY_PKCS11_SLOT_INDEX("repository.pkcs11.slot-index", 0, 1000),
    /** Label of the AES key on the token that wraps the key material; set: the repository unlocks with the HSM. */
    REPOSITORY_PKCS11_KEY_LABEL("repository.pkcs11.key-label", Kind.TEXT),
    REPOSITORY_PKCS11_PIN_FILE("repository.pkcs11.pin-file", Kind.PATH),
    REPOSITORY_PKCS11_PIN_ENV("repository.pkcs11.pin-env", Kind.ENV_NAME),
    /** KMS key id, ARN or alias; set: the repository unlocks with KMS. */
    REPOSITORY_KMS_KEY_ID("repository.kms.key-id", Kind.TEXT),
    REPOSITORY_KMS_REGION("repository.kms.region", Kind.TEXT),
    /** A KMS endpoint other than AWS's own for the region (a VPC endpoint; a test service). */
    REPOSITORY_KMS_ENDPOINT("repository.kms.endpoint", Kind.TEXT),
    REPOSITORY_KMS_ACCESS_KEY_ID_ENV("repository.kms.access-key-id-env", Kind.ENV_NAME),
    REPOSITORY_KMS_SECRET_ACCESS_KEY_ENV("repository.kms.secret-access-key-env", Kind.ENV_NAME),
    REPOSITORY_KMS_PROFILE("repository.kms.profile", Kind.TEXT);

    /**
     * How a setting's text is read. LOCATION is a folder or an {@code s3://bucket/prefix} URL;
     * LIST is a YAML list or comma-separated text.
     */
    enum Kind { TEXT, PATH, LOCATION, INT, BOOLEAN, ENV_NAME, LIST }

    private final String dotted;
    private final Kind kind;
    private final int min;
    private final int max;
    private final String deprecatedEnv;

    ConfigKey(String dotted, Kind kind) {
        this(dotted, kind, 0, 0, null);
    }

    ConfigKey(String dotted, Kind kind, String deprecatedEnv) {
        this(dotted, kind, 0, 0, deprecatedEnv);
    }

    ConfigKey(String dotted, int min, int max) {
        this(dotted, Kind.INT, min, max, null);
    }

    ConfigKey(String dotted, Kind kind, int min, int max, String deprecatedEnv) {
        this.dotted = dotted;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.deprecatedEnv = deprecatedEnv;
    }

    /** The name used in YAML (as section + key) and in overrides, e.g. {@code backup.work-dir}. */
    public String dotted() {
        return dotted;
    }

    /** The environment variable that overrides the file, e.g. {@code CELLAR_BACKUP_WORK_DIR}. */
    public String env() {
        return "CELLAR_" + dotted.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * An older name of {@link #env()} that is still read, with a warning, when the current one is
     * unset; scripts written against older documentation keep working while they are updated.
     */
    public Optional<String> deprecatedEnv() {
        return Optional.ofNullable(deprecatedEnv);
    }

    /** Both names of the setting for a hint, e.g. {@code postgres.bin-dir (CELLAR_POSTGRES_BIN_DIR)}. */
    public String withEnv() {
        return dotted + " (" + env() + ")";
    }

    String section() {
        return dotted.substring(0, dotted.indexOf('.'));
    }

    Kind kind() {
        return kind;
    }

    boolean inRange(int value) {
        return value >= min && value <= max;
    }

    /** Throws unless {@code value} lies in this integer setting's range. */
    void checkRange(int value) {
        if (!inRange(value)) {
            throw invalid(String.valueOf(value), null);
        }
    }

    /** The error for a value that is not an integer in range, naming the source when known. */
    CellarException invalid(String got, String origin) {
        String from = origin == null ? "" : " (from " + origin + ")";
        return new CellarException(ErrorCode.CONFIG_INVALID,
                dotted + " must be an integer " + min + ".." + max + ", got '" + got + "'" + from,
                "see docs/configuration.md for what " + dotted + " controls");
    }

    /**
     * The setting a key inside a {@code repositories:} entry stands for: {@code path} and the
     * two retention keys, and every {@code s3.*} key under its short name.
     */
    static Optional<ConfigKey> byRepositoryEntryKey(String entryKey) {
        return switch (entryKey) {
            case "path" -> Optional.of(REPOSITORY_PATH);
            case "retention-full-days" -> Optional.of(RETENTION_FULL_DAYS);
            case "retention-wal-days" -> Optional.of(RETENTION_WAL_DAYS);
            default -> byDotted("s3." + entryKey);
        };
    }

    static List<String> repositoryEntryKeys() {
        List<String> keys = new java.util.ArrayList<>(List.of("path", "retention-full-days", "retention-wal-days"));
        Arrays.stream(values()).filter(k -> k.section().equals("s3")).forEach(k -> keys.add(k.dotted.substring(3)));
        return keys;
    }

    /**
     * The setting a key inside a {@code databases:} entry stands for: the connection keys of
     * {@code database.*}, {@code data-dir}, and the {@code schedule.*} keys a database may override.
     */
    static Optional<ConfigKey> byDatabaseEntryKey(String entryKey) {
        return switch (entryKey) {
            case "data-dir" -> Optional.of(POSTGRES_DATA_DIR);
            case "sync", "quarterly-report", "annual-report" -> Optional.empty();
            default -> byDotted("database." + entryKey).or(() -> byDotted("schedule." + entryKey));
        };
    }

    /** Schedules of jobs that run once for the whole repository: not keys of a databases: entry. */
    private static final java.util.Set<ConfigKey> REPOSITORY_WIDE_SCHEDULES = java.util.EnumSet.of(SCHEDULE_SYNC, SCHEDULE_QUARTERLY_REPORT,
            SCHEDULE_ANNUAL_REPORT);

    static List<String> databaseEntryKeys() {
        List<String> keys = new java.util.ArrayList<>();
        Arrays.stream(values()).filter(k -> k.section().equals("database")).forEach(k -> keys.add(k.dotted.substring("database.".length())));
        keys.add("data-dir");
        Arrays.stream(values()).filter(k -> k.section().equals("schedule") && !REPOSITORY_WIDE_SCHEDULES.contains(k))
                .forEach(k -> keys.add(k.dotted.substring("schedule.".length())));
        return keys;
    }

    public static Optional<ConfigKey> byDotted(String dotted) {
        return Arrays.stream(values()).filter(k -> k.dotted.equals(dotted)).findFirst();
    }

    /** The sections of the file, e.g. {@code backup}: the first part of every dotted name. */
    public static List<String> sections() {
        return Arrays.stream(values()).map(ConfigKey::section).distinct().toList();
    }

    static List<String> allDotted() {
        return Arrays.stream(values()).map(ConfigKey::dotted).toList();
    }
}
