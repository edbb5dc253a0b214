package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.web.auth.Role;

import java.net.URI;
import java.net.URISyntaxException;
import dev.cellar.server.schedule.Schedule;
import dev.cellar.server.schedule.ScheduleParser;
import dev.cellar.server.schedule.ScheduleSyntaxException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns merged settings into the config records, filling in defaults and deciding where each
 * secret comes from. Kept apart from loading so the defaults are all in one readable place.
 */
final class ConfigAssembler {
    static final String SINGLE_REPOSITORY_NAME = "main";
    private static final List<String> STORAGE_CLASSES = List.of("standard", "standard-ia", "onezone-ia",
            "intelligent-tiering", "glacier-ir", "glacier", "deep-archive", "reduced-redundancy");
    /** Classes whose objects cannot be read without a thaw of hours. */
    private static final List<String> ARCHIVE_CLASSES = List.of("glacier", "deep-archive");

    private final Settings settings;
    private final Map<String, Map<ConfigKey, RawValue>> namedRepositories;
    private final Map<String, Map<ConfigKey, RawValue>> namedDatabases;
    private final Map<String, String> env;

    ConfigAssembler(Settings settings, Map<String, Map<ConfigKey, RawValue>> namedRepositories,
            Map<String, Map<ConfigKey, RawValue>> namedDatabases, Map<String, String> env) {
        this.settings = settings;
        this.namedRepositories = namedRepositories;
        this.namedDatabases = namedDatabases;
        this.env = env;
    }

    CellarConfig assemble() {
        return new CellarConfig(repository(), repositories(), database(), postgres(), backup(), retention(), wal(),
                worm(), lifecycle(), catalog(), schedule(), alerts(), serverHttp(), webAuth(), webApi(), https(), oidc(),
                dataPolicy(), lifecycleSchedules(), drill(), recover());
    }

    private ScheduleConfig schedule() {
        ZoneId zone = timeZone(settings, null);
        List<ScheduledDatabase> databases = new ArrayList<>();
        if (namedDatabases.isEmpty()) {
            databases.add(scheduledDatabase(null, database(settings, null, null), settings, null));
        } else {
            namedDatabases.forEach((name, entry) -> {
                Settings own = settings.with(entry);
                databases.add(scheduledDatabase(name, database(own, name, entry), own, entry));
            });
        }
        return new ScheduleConfig(
                schedule(settings, null, null, ConfigKey.SCHEDULE_SYNC, ScheduleConfig.DEFAULT_SYNC, zone),
                schedule(settings, null, null, ConfigKey.SCHEDULE_QUARTERLY_REPORT, ScheduleConfig.DEFAULT_QUARTERLY_REPORT, zone),
                schedule(settings, null, null, ConfigKey.SCHEDULE_ANNUAL_REPORT, ScheduleConfig.DEFAULT_ANNUAL_REPORT, zone),
                zone,
                Duration.ofMinutes(settings.integer(ConfigKey.SCHEDULE_TIMEOUT_MINUTES).orElse(ScheduleConfig.DEFAULT_TIMEOUT_MINUTES)),
                databases);
    }

    /** {@code entryName} and {@code entry} are null for the single database of the database.* settings. */
    private static ScheduledDatabase scheduledDatabase(String entryName, DatabaseConfig connection, Settings own,
            Map<ConfigKey, RawValue> entry) {
        ZoneId zone = timeZone(own, entryName != null && entry.containsKey(ConfigKey.SCHEDULE_TIME_ZONE) ? entryName : null);
        return new ScheduledDatabase(entryName != null ? entryName : connection.name(), connection,
                own.path(ConfigKey.POSTGRES_DATA_DIR).orElse(null), zone,
                schedule(own, entryName, entry, ConfigKey.SCHEDULE_FULL, ScheduleConfig.DEFAULT_FULL, zone),
                schedule(own, entryName, entry, ConfigKey.SCHEDULE_INCREMENTAL, ScheduleConfig.DEFAULT_INCREMENTAL, zone),
                schedule(own, entryName, entry, ConfigKey.SCHEDULE_VERIFY, ScheduleConfig.DEFAULT_VERIFY, zone),
                Duration.ofMinutes(own.integer(ConfigKey.SCHEDULE_TIMEOUT_MINUTES).orElse(ScheduleConfig.DEFAULT_TIMEOUT_MINUTES)),
                own.integer(ConfigKey.SCHEDULE_RPO_OBJECTIVE_SECONDS).orElse(ScheduleConfig.DEFAULT_RPO_OBJECTIVE_SECONDS),
                own.bool(ConfigKey.SCHEDULE_WAL_STREAM).orElse(false));
    }

    private static ZoneId timeZone(Settings own, String entryName) {
        return own.text(ConfigKey.SCHEDULE_TIME_ZONE).map(text -> {
            try {
                return ScheduleParser.zone(text);
            } catch (ScheduleSyntaxException e) {
                throw invalidEntry(own, ConfigKey.SCHEDULE_TIME_ZONE, entryName, e.getMessage(),
                        "the zone names are those of the IANA database (timedatectl list-timezones)");
            }
        }).orElse(ZoneId.systemDefault());
    }

    private static Schedule schedule(Settings own, String entryName, Map<ConfigKey, RawValue> entry, ConfigKey key,
            String fallback, ZoneId zone) {
        String text = own.text(key).orElse(fallback);
        try {
            return ScheduleParser.parse(text, zone);
        } catch (ScheduleSyntaxException e) {
            String owner = entry != null && entry.containsKey(key) ? entryName : null;
            throw invalidEntry(own, key, owner, "is not a schedule: " + e.getMessage(),
                    "write one of " + ScheduleParser.FORMS + "; docs/scheduling.md explains each");
        }
    }

    /** The error for a value, naming the databases: entry's key when the value came from one. */
    private static CellarException invalidEntry(Settings own, ConfigKey key, String entryName, String problem, String hint) {
        String name = entryName == null ? key.dotted()
                : YamlFileReader.DATABASES + "." + entryName + "." + key.dotted().substring(key.dotted().indexOf('.') + 1);
        return new CellarException(ErrorCode.CONFIG_INVALID,
                name + " " + problem + own.origin(key).map(origin -> " (from " + origin + ")").orElse(""), hint);
    }

    private RepositoryConfig repository() {
        var keyFile = settings.path(ConfigKey.REPOSITORY_KEY_FILE).orElse(null);
        Pkcs11Config pkcs11 = pkcs11();
        KmsConfig kms = kms();
        boolean otherMethod = keyFile != null || pkcs11.keyLabel() != null || kms.keyId() != null;
        SecretSource passphrase = secret(SecretName.REPOSITORY_PASSPHRASE)
                .orElse(otherMethod ? null : new SecretSource.Prompt(SecretName.REPOSITORY_PASSPHRASE));
        Path folder = namedRepositories.isEmpty()
                ? settings.text(ConfigKey.REPOSITORY_PATH).filter(l -> !l.startsWith(S3Location.SCHEME)).map(Path::of).orElse(null)
                : null;
        return new RepositoryConfig(folder, passphrase, keyFile, pkcs11, kms);
    }

    /** The HSM settings; a key label says the repository unlocks with the HSM, the rest serve 'key add --pkcs11' too. */
    private Pkcs11Config pkcs11() {
        return new Pkcs11Config(
                settings.path(ConfigKey.REPOSITORY_PKCS11_LIBRARY).orElse(null),
                settings.integer(ConfigKey.REPOSITORY_PKCS11_SLOT).map(Integer::longValue).orElse(null),
                settings.integer(ConfigKey.REPOSITORY_PKCS11_SLOT_INDEX).orElse(0),
                settings.text(ConfigKey.REPOSITORY_PKCS11_KEY_LABEL).orElse(null),
                secret(SecretName.HSM_PIN).orElse(new SecretSource.Prompt(SecretName.HSM_PIN)));
    }

    /** The KMS settings; a key id says the repository unlocks with KMS, the rest serve 'key add --kms' too. */
    private KmsConfig kms() {
        return new KmsConfig(settings.text(ConfigKey.REPOSITORY_KMS_KEY_ID).orElse(null),
                settings.text(ConfigKey.REPOSITORY_KMS_REGION).or(() -> awsVariable("AWS_REGION", "AWS_DEFAULT_REGION"))
                        .orElse(S3Config.DEFAULT_REGION),
                settings.text(ConfigKey.REPOSITORY_KMS_ENDPOINT).map(text -> endpoint(text, settings, ConfigKey.REPOSITORY_KMS_ENDPOINT)).orElse(null),
                settings.text(ConfigKey.REPOSITORY_KMS_ACCESS_KEY_ID_ENV).orElse(null),
                settings.text(ConfigKey.REPOSITORY_KMS_SECRET_ACCESS_KEY_ENV).orElse(null),
                settings.text(ConfigKey.REPOSITORY_KMS_PROFILE).orElse(null));
    }

    /** Every copy of the repository, the one read first first; empty when none is configured. */
    private List<RepositoryTarget> repositories() {
        if (namedRepositories.isEmpty()) {
            return settings.isSet(ConfigKey.REPOSITORY_PATH)
                    ? List.of(target(SINGLE_REPOSITORY_NAME, settings, ConfigKey.REPOSITORY_PATH.dotted())) : List.of();
        }
        List<RepositoryTarget> targets = new ArrayList<>();
        namedRepositories.forEach((name, entry) -> {
            Settings own = settings.with(entry);
            if (!entry.containsKey(ConfigKey.REPOSITORY_PATH)) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "repositories." + name + " has no path:",
                        "give each repository a folder or an s3://bucket/prefix location");
            }
            targets.add(target(name, own, "repositories." + name + ".path"));
        });
        return List.copyOf(targets);
    }

    private RepositoryTarget target(String name, Settings own, String locationKey) {
        String location = own.text(ConfigKey.REPOSITORY_PATH).orElseThrow();
        RetentionConfig retention = retention(own);
        Optional<S3Location> s3;
        try {
            s3 = S3Location.parse(location);
        } catch (IllegalArgumentException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, locationKey + " " + e.getMessage()
                    + " (from " + own.origin(ConfigKey.REPOSITORY_PATH).orElse("?") + ")",
                    "write it as s3://bucket/optional/prefix, or give a folder");
        }
        if (s3.isEmpty()) {
            return new RepositoryTarget(name, own.path(ConfigKey.REPOSITORY_PATH).orElseThrow(), null, retention);
        }
        return new RepositoryTarget(name, null, s3Config(s3.get(), own), retention);
    }

    private S3Config s3Config(S3Location location, Settings own) {
        URI endpoint = own.text(ConfigKey.S3_ENDPOINT).map(text -> endpoint(text, own))
                .or(() -> awsVariable("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL").map(text -> endpoint(text, own)))
                .orElse(null);
        String storageClass = storageClass(own, ConfigKey.S3_STORAGE_CLASS);
        if (ARCHIVE_CLASSES.contains(storageClass.toLowerCase(Locale.ROOT).replace('_', '-'))) {
            throw own.invalid(ConfigKey.S3_STORAGE_CLASS, "must not be an archive class (" + storageClass
                    + "): every restore reads chunks and manifests, and each would need a thaw of hours; "
                    + "let cellar cloud lifecycle move WAL and archives instead");
        }
        S3Config.ChecksumMode checksumMode = own.choice(ConfigKey.S3_CHECKSUM_MODE, List.of("when-supported", "when-required"))
                .map(mode -> S3Config.ChecksumMode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_')))
                .orElse(S3Config.ChecksumMode.WHEN_SUPPORTED);
        boolean keyIdSet = own.isSet(ConfigKey.S3_ACCESS_KEY_ID_ENV);
        if (keyIdSet != own.isSet(ConfigKey.S3_SECRET_ACCESS_KEY_ENV)) {
            throw own.invalid(keyIdSet ? ConfigKey.S3_SECRET_ACCESS_KEY_ENV : ConfigKey.S3_ACCESS_KEY_ID_ENV,
                    "must be set together with " + (keyIdSet ? ConfigKey.S3_ACCESS_KEY_ID_ENV : ConfigKey.S3_SECRET_ACCESS_KEY_ENV).dotted());
        }
        return new S3Config(location.bucket(), location.prefix(), endpoint,
                own.text(ConfigKey.S3_REGION).or(() -> awsVariable("AWS_REGION", "AWS_DEFAULT_REGION")).orElse(S3Config.DEFAULT_REGION),
                own.bool(ConfigKey.S3_PATH_STYLE).orElse(endpoint != null),
                checksumMode,
                own.path(ConfigKey.S3_CA_BUNDLE).orElse(null),
                own.text(ConfigKey.S3_ACCESS_KEY_ID_ENV).orElse(null),
                own.text(ConfigKey.S3_SECRET_ACCESS_KEY_ENV).orElse(null),
                own.text(ConfigKey.S3_PROFILE).orElse(null),
                own.path(ConfigKey.S3_CREDENTIALS_FILE).orElse(null),
                storageClass,
                storageClass(own, ConfigKey.S3_WAL_STORAGE_CLASS),
                own.integer(ConfigKey.S3_MAX_ATTEMPTS).orElse(S3Config.DEFAULT_MAX_ATTEMPTS),
                own.integer(ConfigKey.S3_PART_SIZE_MIB).orElse(S3Config.DEFAULT_PART_SIZE_MIB),
                own.integer(ConfigKey.S3_UPLOAD_THREADS).orElse(S3Config.DEFAULT_UPLOAD_THREADS),
                own.integer(ConfigKey.S3_MAX_CONCURRENCY).orElse(S3Config.DEFAULT_MAX_CONCURRENCY),
                tlsMinVersion(own, ConfigKey.S3_TLS_MIN_VERSION));
    }

    /**
     * The AWS tools' own variables, read when cellar.yaml leaves the setting out: a host set up for
     * the aws CLI then reaches the same bucket, region and endpoint without repeating them.
     */
    private Optional<String> awsVariable(String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    private static URI endpoint(String text, Settings own) {
        return endpoint(text, own, ConfigKey.S3_ENDPOINT);
    }

    private static URI endpoint(String text, Settings own, ConfigKey key) {
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw own.invalid(key, "must be an http(s)://host[:port] URL, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw own.invalid(key, "is not a URL: " + e.getMessage());
        }
    }

    /** The class in the SDK's spelling (STANDARD_IA), whatever spelling the file used. */
    private static String storageClass(Settings own, ConfigKey key) {
        return own.choice(key, STORAGE_CLASSES).map(c -> c.toUpperCase(Locale.ROOT).replace('-', '_'))
                .orElse(S3Config.DEFAULT_STORAGE_CLASS);
    }

    private WormConfig worm() {
        String mode = settings.choice(ConfigKey.WORM_MODE, List.of("off", "governance", "compliance"))
                .filter(m -> !m.equals("off")).map(m -> m.toUpperCase(Locale.ROOT)).orElse(null);
        List<String> kinds = settings.list(ConfigKey.WORM_KINDS).orElse(WormConfig.DEFAULT_KINDS);
        for (String kind : kinds) {
            if (!WormConfig.DEFAULT_KINDS.contains(kind)) {
                throw settings.invalid(ConfigKey.WORM_KINDS, "names '" + kind + "'; the kinds are logical and physical");
            }
        }
        return new WormConfig(mode, settings.integer(ConfigKey.WORM_RETAIN_DAYS).orElse(WormConfig.DEFAULT_RETAIN_DAYS),
                kinds, settings.list(ConfigKey.WORM_DATABASES).orElse(List.of()));
    }

    private LifecycleConfig lifecycle() {
        return new LifecycleConfig(
                settings.integer(ConfigKey.LIFECYCLE_INFREQUENT_ACCESS_DAYS).orElse(LifecycleConfig.DEFAULT_INFREQUENT_ACCESS_DAYS),
                settings.integer(ConfigKey.LIFECYCLE_GLACIER_DAYS).orElse(LifecycleConfig.DEFAULT_GLACIER_DAYS),
                settings.integer(ConfigKey.LIFECYCLE_DEEP_ARCHIVE_DAYS).orElse(LifecycleConfig.DEFAULT_DEEP_ARCHIVE_DAYS),
                settings.integer(ConfigKey.LIFECYCLE_EXPIRE_DAYS).orElse(LifecycleConfig.DEFAULT_EXPIRE_DAYS));
    }

    private CatalogConfig catalog() {
        Optional<String> url = settings.text(ConfigKey.CATALOG_URL);
        url.filter(u -> !u.startsWith(CatalogConfig.URL_PREFIX)).ifPresent(u -> {
            throw settings.invalid(ConfigKey.CATALOG_URL, "must be a " + CatalogConfig.URL_PREFIX + "//host[:port]/database URL, got '" + u + "'");
        });
        return new CatalogConfig(url.orElse(null),
                settings.text(ConfigKey.CATALOG_USER).orElse(null),
                secret(SecretName.CATALOG_PASSWORD).orElse(null),
                settings.path(ConfigKey.SERVER_STATE_DIR).orElseGet(CatalogConfig::defaultStateDir));
    }

    private AlertsConfig alerts() {
        return new AlertsConfig(
                settings.integer(ConfigKey.ALERTS_SIZE_DEVIATION_PERCENT).orElse(AlertsConfig.DEFAULT_SIZE_DEVIATION_PERCENT),
                settings.integer(ConfigKey.ALERTS_SIZE_COMPARABLE_BACKUPS).orElse(AlertsConfig.DEFAULT_SIZE_COMPARABLE_BACKUPS),
                settings.integer(ConfigKey.ALERTS_WAL_DELAY_MINUTES).orElse(AlertsConfig.DEFAULT_WAL_DELAY_MINUTES),
                settings.integer(ConfigKey.ALERTS_STREAM_LAG_MIB).orElse(AlertsConfig.DEFAULT_STREAM_LAG_MIB),
                settings.integer(ConfigKey.ALERTS_SPACE_FREE_PERCENT).orElse(AlertsConfig.DEFAULT_SPACE_FREE_PERCENT),
                settings.integer(ConfigKey.ALERTS_SPACE_DAYS_UNTIL_FULL).orElse(AlertsConfig.DEFAULT_SPACE_DAYS_UNTIL_FULL),
                settings.integer(ConfigKey.ALERTS_BUCKET_QUOTA_GIB).orElse(0),
                settings.integer(ConfigKey.ALERTS_COPY_BEHIND_MINUTES).orElse(AlertsConfig.DEFAULT_COPY_BEHIND_MINUTES),
                settings.integer(ConfigKey.ALERTS_VERIFY_MAX_DAYS).orElse(AlertsConfig.DEFAULT_VERIFY_MAX_DAYS),
                settings.integer(ConfigKey.ALERTS_REMIND_MINUTES).orElse(AlertsConfig.DEFAULT_REMIND_MINUTES),
                smtp(), webhook());
    }

    /** The alert e-mail, or null when no SMTP host is set; a host without sender or recipients is an error. */
    private AlertsConfig.Smtp smtp() {
        Optional<String> host = settings.text(ConfigKey.ALERTS_SMTP_HOST);
        if (host.isEmpty()) {
            return null;
        }
        String from = settings.text(ConfigKey.ALERTS_EMAIL_FROM).orElseThrow(() -> settings.invalid(ConfigKey.ALERTS_EMAIL_FROM,
                "must be set when alerts.smtp-host is: the sender of the alert e-mail, e.g. cellar@db1.example.com"));
        List<String> to = settings.list(ConfigKey.ALERTS_EMAIL_TO).filter(list -> !list.isEmpty())
                .orElseThrow(() -> settings.invalid(ConfigKey.ALERTS_EMAIL_TO,
                        "must be set when alerts.smtp-host is: who gets the alert e-mail, e.g. dba@example.com"));
        for (String address : to) {
            if (!address.contains("@")) {
                throw settings.invalid(ConfigKey.ALERTS_EMAIL_TO, "holds '" + address + "', which is not an e-mail address");
            }
        }
        AlertsConfig.StartTls startTls = settings.choice(ConfigKey.ALERTS_SMTP_STARTTLS, List.of("required", "optional", "off"))
                .map(mode -> AlertsConfig.StartTls.valueOf(mode.toUpperCase(Locale.ROOT)))
                .orElse(AlertsConfig.StartTls.REQUIRED);
        return new AlertsConfig.Smtp(host.get(), settings.integer(ConfigKey.ALERTS_SMTP_PORT).orElse(AlertsConfig.DEFAULT_SMTP_PORT),
                startTls, settings.text(ConfigKey.ALERTS_SMTP_USER).orElse(null),
                secret(SecretName.ALERTS_SMTP_PASSWORD).orElse(null), from, to, tlsMinVersion(settings, ConfigKey.ALERTS_TLS_MIN_VERSION));
    }

    /** The alert webhook, or null when no URL is set; a JSON webhook must have a signing secret. */
    private AlertsConfig.Webhook webhook() {
        Optional<String> text = settings.text(ConfigKey.ALERTS_WEBHOOK_URL);
        if (text.isEmpty()) {
            return null;
        }
        URI url;
        try {
            url = new URI(text.get());
        } catch (URISyntaxException e) {
            throw settings.invalid(ConfigKey.ALERTS_WEBHOOK_URL, "is not a URL: " + e.getMessage());
        }
        if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
            throw settings.invalid(ConfigKey.ALERTS_WEBHOOK_URL, "must be an http(s)://host/path URL, got '" + text.get() + "'");
        }
        AlertsConfig.WebhookFormat format = settings.choice(ConfigKey.ALERTS_WEBHOOK_FORMAT, List.of("json", "slack"))
                .map(f -> AlertsConfig.WebhookFormat.valueOf(f.toUpperCase(Locale.ROOT)))
                .orElse(AlertsConfig.WebhookFormat.JSON);
        SecretSource secret = secret(SecretName.ALERTS_WEBHOOK_SECRET).orElse(null);
        if (secret == null && format == AlertsConfig.WebhookFormat.JSON) {
            throw settings.invalid(ConfigKey.ALERTS_WEBHOOK_SECRET_FILE, "or alerts.webhook-secret-env must be set with a json webhook: "
                    + "the receiver checks each delivery's HMAC signature with that secret (docs/alerts.md)");
        }
        return new AlertsConfig.Webhook(url, secret, format, tlsMinVersion(settings, ConfigKey.ALERTS_TLS_MIN_VERSION));
    }

    /** Four-eyes databases by their short name (a databases: entry, or the database.* settings' database). */
    private WebApiConfig webApi() {
        java.util.Set<String> fourEyes = new java.util.LinkedHashSet<>();
        if (namedDatabases.isEmpty()) {
            if (settings.bool(ConfigKey.DATABASE_FOUR_EYES).orElse(false)) {
                fourEyes.add(database(settings, null, null).name());
            }
        } else {
            namedDatabases.forEach((name, entry) -> {
                if (settings.with(entry).bool(ConfigKey.DATABASE_FOUR_EYES).orElse(false)) {
                    fourEyes.add(name);
                }
            });
        }
        return new WebApiConfig(Duration.ofMinutes(settings.integer(ConfigKey.WEB_APPROVAL_EXPIRY_MINUTES)
                .orElse(WebApiConfig.DEFAULT_APPROVAL_EXPIRY_MINUTES)), fourEyes);
    }

    /** The data policy file of each database, by its PostgreSQL name (a databases: entry's own, or the database.* one). */
    private DataPolicyConfig dataPolicy() {
        Map<String, Path> files = new LinkedHashMap<>();
        if (namedDatabases.isEmpty()) {
            settings.path(ConfigKey.DATABASE_POLICY).ifPresent(file -> files.put(database(settings, null, null).name(), file));
        } else {
            namedDatabases.forEach((name, entry) -> {
                Settings own = settings.with(entry);
                own.path(ConfigKey.DATABASE_POLICY).ifPresent(file -> files.put(database(own, name, entry).name(), file));
            });
        }
        return new DataPolicyConfig(files);
    }

    /** When each scheduled database's month is archived and its retention runs: its databases: entry's key, else schedule.*, else off. */
    private DataLifecycleSchedules lifecycleSchedules() {
        Map<String, Schedule> archive = new LinkedHashMap<>();
        Map<String, Schedule> retention = new LinkedHashMap<>();
        if (namedDatabases.isEmpty()) {
            ZoneId zone = timeZone(settings, null);
            String name = database(settings, null, null).name();
            archive.put(name, schedule(settings, null, null, ConfigKey.SCHEDULE_ARCHIVE, DataLifecycleSchedules.DEFAULT, zone));
            retention.put(name, schedule(settings, null, null, ConfigKey.SCHEDULE_RETENTION, DataLifecycleSchedules.DEFAULT, zone));
        } else {
            namedDatabases.forEach((name, entry) -> {
                Settings own = settings.with(entry);
                ZoneId zone = timeZone(own, entry.containsKey(ConfigKey.SCHEDULE_TIME_ZONE) ? name : null);
                archive.put(name, schedule(own, name, entry, ConfigKey.SCHEDULE_ARCHIVE, DataLifecycleSchedules.DEFAULT, zone));
                retention.put(name, schedule(own, name, entry, ConfigKey.SCHEDULE_RETENTION, DataLifecycleSchedules.DEFAULT, zone));
            });
        }
        return new DataLifecycleSchedules(archive, retention);
    }

    /** The drill's objectives, waits and work folder, and when the server drills each scheduled database (schedule.drill). */
    private DrillConfig drill() {
        Map<String, Schedule> schedules = new LinkedHashMap<>();
        if (namedDatabases.isEmpty()) {
            ZoneId zone = timeZone(settings, null);
            schedules.put(database(settings, null, null).name(), schedule(settings, null, null, ConfigKey.SCHEDULE_DRILL, DrillConfig.DEFAULT_SCHEDULE, zone));
        } else {
            namedDatabases.forEach((name, entry) -> {
                Settings own = settings.with(entry);
                ZoneId zone = timeZone(own, entry.containsKey(ConfigKey.SCHEDULE_TIME_ZONE) ? name : null);
                schedules.put(name, schedule(own, name, entry, ConfigKey.SCHEDULE_DRILL, DrillConfig.DEFAULT_SCHEDULE, zone));
            });
        }
        return new DrillConfig(drillDuration(ConfigKey.DRILL_RTO_OBJECTIVE, DrillConfig.DEFAULT_RTO_OBJECTIVE),
                drillDuration(ConfigKey.DRILL_RPO_OBJECTIVE, DrillConfig.DEFAULT_RPO_OBJECTIVE),
                drillDuration(ConfigKey.DRILL_WAL_WAIT, DrillConfig.DEFAULT_WAL_WAIT),
                drillDuration(ConfigKey.DRILL_RPO_WINDOW, DrillConfig.DEFAULT_RPO_WINDOW),
                settings.path(ConfigKey.DRILL_WORK_DIR).orElse(null), schedules, settings.path(ConfigKey.DRILL_CHECKS).orElse(null));
    }

    private java.time.Duration drillDuration(ConfigKey key, java.time.Duration fallback) {
        return settings.text(key).map(text -> dev.cellar.drill.ObjectiveDuration.parse(text).orElseThrow(() -> settings.invalid(key,
                "must be a duration like '15 minutes', '4 hours', '30s' or '2 min', got '" + text + "'"))).orElse(fallback);
    }

    private RecoverConfig recover() {
        Duration timeout = Duration.ofSeconds(settings.integer(ConfigKey.RECOVER_HOOK_TIMEOUT_SECONDS)
                .orElse((int) RecoverConfig.DEFAULT_HOOK_TIMEOUT.toSeconds()));
        Optional<String> host = settings.text(ConfigKey.VERIFY_STAGING_HOST);
        RecoverConfig.Staging staging = host.map(h -> new RecoverConfig.Staging(h,
                settings.integer(ConfigKey.VERIFY_STAGING_PORT).orElse(DatabaseConfig.DEFAULT_PORT),
                settings.text(ConfigKey.VERIFY_STAGING_USER).orElseGet(() -> database(settings, null, null).user()),
                settings.path(ConfigKey.VERIFY_STAGING_PASSWORD_FILE).orElse(null),
                settings.text(ConfigKey.VERIFY_STAGING_DATABASE).orElse(DatabaseConfig.DEFAULT_NAME))).orElse(null);
        if (staging == null) {
            for (ConfigKey key : List.of(ConfigKey.VERIFY_STAGING_PORT, ConfigKey.VERIFY_STAGING_USER, ConfigKey.VERIFY_STAGING_PASSWORD_FILE,
                    ConfigKey.VERIFY_STAGING_DATABASE)) {
                if (settings.text(key).isPresent()) {
                    throw settings.invalid(key, "is set but " + ConfigKey.VERIFY_STAGING_HOST.dotted()
                            + " is not: set it to the staging server's host, or remove the other staging settings");
                }
            }
        }
        return new RecoverConfig(settings.list(ConfigKey.RECOVER_PRE_HOOKS).orElse(List.of()),
                settings.list(ConfigKey.RECOVER_POST_HOOKS).orElse(List.of()), timeout, staging);
    }

    private ServerHttpConfig serverHttp() {
        ListenAddress listen = settings.text(ConfigKey.SERVER_LISTEN)
                .map(text -> ListenAddress.parse(text).orElseThrow(() -> settings.invalid(ConfigKey.SERVER_LISTEN,
                        "must be host:port (IPv6 as [address]:port), e.g. 127.0.0.1:9188 or 0.0.0.0:9188, got '" + text + "'")))
                .orElse(ServerHttpConfig.DEFAULT_LISTEN);
        return new ServerHttpConfig(listen, Duration.ofSeconds(settings.integer(ConfigKey.SERVER_HEALTH_TICK_AGE_SECONDS)
                .orElse(ServerHttpConfig.DEFAULT_HEALTH_TICK_AGE_SECONDS)));
    }

    private WebAuthConfig webAuth() {
        return new WebAuthConfig(
                Duration.ofMinutes(settings.integer(ConfigKey.WEB_SECOND_FACTOR_FRESH_MINUTES).orElse(WebAuthConfig.DEFAULT_SECOND_FACTOR_FRESH_MINUTES)),
                Duration.ofMinutes(settings.integer(ConfigKey.WEB_SESSION_IDLE_MINUTES).orElse(WebAuthConfig.DEFAULT_SESSION_IDLE_MINUTES)),
                Duration.ofHours(settings.integer(ConfigKey.WEB_SESSION_MAX_HOURS).orElse(WebAuthConfig.DEFAULT_SESSION_MAX_HOURS)),
                settings.integer(ConfigKey.WEB_LOGIN_ATTEMPTS_PER_MINUTE).orElse(WebAuthConfig.DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE),
                settings.integer(ConfigKey.WEB_LOCKOUT_AFTER_FAILURES).orElse(WebAuthConfig.DEFAULT_LOCKOUT_AFTER_FAILURES),
                Duration.ofMinutes(settings.integer(ConfigKey.WEB_LOCKOUT_MINUTES).orElse(WebAuthConfig.DEFAULT_LOCKOUT_MINUTES)));
    }

    private HttpsConfig https() {
        Optional<Path> keystore = settings.path(ConfigKey.SERVER_TLS_KEYSTORE);
        SecretSource password = secret(SecretName.SERVER_TLS_KEYSTORE_PASSWORD).orElse(null);
        if (keystore.isPresent() && password == null) {
            throw settings.invalid(ConfigKey.SERVER_TLS_KEYSTORE_PASSWORD_FILE, "or " + ConfigKey.SERVER_TLS_KEYSTORE_PASSWORD_ENV.dotted()
                    + " must be set with " + ConfigKey.SERVER_TLS_KEYSTORE.dotted() + ": a PKCS#12 keystore cannot be opened without its password");
        }
        return new HttpsConfig(keystore.orElse(null), keystore.isPresent() ? password : null,
                settings.bool(ConfigKey.WEB_ALLOW_HTTP_ON_LOOPBACK).orElse(false));
    }

    /** Disabled without an issuer; with one, the client id, the callback URL and a group mapping are required. */
    private OidcConfig oidc() {
        Optional<String> issuer = settings.text(ConfigKey.WEB_OIDC_ISSUER);
        String usernameClaim = settings.text(ConfigKey.WEB_OIDC_USERNAME_CLAIM).orElse(OidcConfig.DEFAULT_USERNAME_CLAIM);
        String groupsClaim = settings.text(ConfigKey.WEB_OIDC_GROUPS_CLAIM).orElse(OidcConfig.DEFAULT_GROUPS_CLAIM);
        if (issuer.isEmpty()) {
            return new OidcConfig(null, null, null, null, usernameClaim, groupsClaim, Map.of(),
                    settings.bool(ConfigKey.WEB_OIDC_TRUST_PROVIDER_MFA).orElse(false));
        }
        URI issuerUri = httpUrl(ConfigKey.WEB_OIDC_ISSUER, issuer.get());
        String clientId = settings.text(ConfigKey.WEB_OIDC_CLIENT_ID).orElseThrow(() -> settings.invalid(ConfigKey.WEB_OIDC_CLIENT_ID,
                "must be set when web.oidc.issuer is: the client id Cellar was registered with at the provider"));
        URI redirect = settings.text(ConfigKey.WEB_OIDC_REDIRECT_URI).map(text -> httpUrl(ConfigKey.WEB_OIDC_REDIRECT_URI, text))
                .orElseThrow(() -> settings.invalid(ConfigKey.WEB_OIDC_REDIRECT_URI, "must be set when web.oidc.issuer is: "
                        + "the callback URL registered at the provider, e.g. https://cellar.example.com/auth/oidc/callback"));
        List<String> pairs = settings.list(ConfigKey.WEB_OIDC_ROLE_MAPPING).filter(list -> !list.isEmpty())
                .orElseThrow(() -> settings.invalid(ConfigKey.WEB_OIDC_ROLE_MAPPING, "must be set when web.oidc.issuer is: "
                        + "without it no group maps to a role and every OIDC login is refused; write group=role,group=role"));
        Map<String, Role> mapping = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.lastIndexOf('=');
            if (equals <= 0 || equals == pair.length() - 1) {
                throw settings.invalid(ConfigKey.WEB_OIDC_ROLE_MAPPING, "holds '" + pair + "', which is not group=role");
            }
            try {
                mapping.put(pair.substring(0, equals).strip(), Role.of(pair.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw settings.invalid(ConfigKey.WEB_OIDC_ROLE_MAPPING, "holds '" + pair + "': " + e.getMessage());
            }
        }
        return new OidcConfig(issuerUri, clientId, secret(SecretName.WEB_OIDC_CLIENT_SECRET).orElse(null), redirect,
                usernameClaim, groupsClaim, mapping, settings.bool(ConfigKey.WEB_OIDC_TRUST_PROVIDER_MFA).orElse(false));
    }

    private URI httpUrl(ConfigKey key, String text) {
        try {
            URI uri = new URI(text.strip());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw settings.invalid(key, "must be an http(s)://host/path URL, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw settings.invalid(key, "is not a URL: " + e.getMessage());
        }
    }

    private DatabaseConfig database() {
        return database(settings, null, null);
    }

    /**
     * {@code entryName}: a databases: entry's short name, which is the database's name unless the
     * entry sets name: (database.name and PGDATABASE name the single database, not every entry).
     */
    /** The database.* TLS keys; a databases: entry may set its own (sslmode: verify-full). */
    private static DatabaseTls databaseTls(Settings own) {
        return new DatabaseTls(
                own.choice(ConfigKey.DATABASE_SSLMODE, DatabaseTls.SslMode.names()).map(DatabaseTls.SslMode::of)
                        .orElse(DatabaseTls.DEFAULT.mode()),
                own.path(ConfigKey.DATABASE_SSLROOTCERT).orElse(null),
                own.path(ConfigKey.DATABASE_SSLCERT).orElse(null),
                own.path(ConfigKey.DATABASE_SSLKEY).orElse(null),
                tlsMinVersion(own, ConfigKey.DATABASE_TLS_MIN_VERSION));
    }

    /** A *.tls-min-version key: 1.2 (the default) or 1.3. */
    static TlsMinVersion tlsMinVersion(Settings own, ConfigKey key) {
        return own.text(key).map(text -> {
            TlsMinVersion version = TlsMinVersion.parse(text);
            if (version == null) {
                throw own.invalid(key, "must be 1.2 or 1.3, got '" + text + "'");
            }
            return version;
        }).orElse(TlsMinVersion.TLS_1_2);
    }

    private DatabaseConfig database(Settings own, String entryName, Map<ConfigKey, RawValue> entry) {
        Optional<String> name = entry == null || entry.containsKey(ConfigKey.DATABASE_NAME)
                ? own.text(ConfigKey.DATABASE_NAME) : Optional.of(entryName);
        return new DatabaseConfig(
                own.text(ConfigKey.DATABASE_HOST).orElse(DatabaseConfig.DEFAULT_HOST),
                own.integer(ConfigKey.DATABASE_PORT).orElse(DatabaseConfig.DEFAULT_PORT),
                own.text(ConfigKey.DATABASE_USER).orElse(System.getProperty("user.name")),
                name.orElse(DatabaseConfig.DEFAULT_NAME),
                secret(own, SecretName.DATABASE_PASSWORD).orElse(null),
                own.isSet(ConfigKey.DATABASE_NAME) || entry != null,
                databaseTls(own));
    }

    private PostgresConfig postgres() {
        return new PostgresConfig(settings.path(ConfigKey.POSTGRES_BIN_DIR).orElse(null),
                settings.path(ConfigKey.POSTGRES_DATA_DIR).orElse(null));
    }

    private WalConfig wal() {
        return new WalConfig(
                settings.path(ConfigKey.WAL_SPOOL_PATH).orElse(null),
                settings.integer(ConfigKey.WAL_COMPRESSION_LEVEL).orElse(WalConfig.DEFAULT_COMPRESSION_LEVEL),
                settings.integer(ConfigKey.WAL_AGENT_IDLE_MINUTES).orElse(WalConfig.DEFAULT_AGENT_IDLE_MINUTES),
                settings.integer(ConfigKey.WAL_RPO_SECONDS).orElse(WalConfig.DEFAULT_RPO_SECONDS),
                settings.text(ConfigKey.WAL_STREAM_SLOT).orElse(WalConfig.DEFAULT_STREAM_SLOT));
    }

    private BackupConfig backup() {
        return new BackupConfig(
                settings.integer(ConfigKey.BACKUP_COMPRESSION_LEVEL).orElse(BackupConfig.DEFAULT_COMPRESSION_LEVEL),
                settings.integer(ConfigKey.BACKUP_JOBS).orElse(Runtime.getRuntime().availableProcessors()),
                settings.path(ConfigKey.BACKUP_WORK_DIR).orElse(null),
                settings.integer(ConfigKey.BACKUP_CHUNK_AVG_KIB).orElse(BackupConfig.DEFAULT_CHUNK_AVG_KIB));
    }

    private RetentionConfig retention() {
        return retention(settings);
    }

    private static RetentionConfig retention(Settings from) {
        return new RetentionConfig(
                from.integer(ConfigKey.RETENTION_FULL_DAYS).orElse(RetentionConfig.DEFAULT_FULL_DAYS),
                from.integer(ConfigKey.RETENTION_WAL_DAYS).orElse(RetentionConfig.DEFAULT_WAL_DAYS));
    }

    /**
     * A configured file or variable name wins; otherwise the first of the secret's own variables
     * (such as {@code CELLAR_PASSPHRASE}) that is set.
     */
    private Optional<SecretSource> secret(SecretName secret) {
        return secret(settings, secret);
    }

    private Optional<SecretSource> secret(Settings settings, SecretName secret) {
        Optional<SecretSource> file = settings.path(secret.fileKey()).map(p -> new SecretSource.FromFile(secret, p));
        if (file.isPresent()) {
            return file;
        }
        Optional<SecretSource> variable = settings.text(secret.envKey()).map(v -> new SecretSource.FromEnv(secret, v));
        if (variable.isPresent()) {
            return variable;
        }
        return secret.envVariables().stream()
                .filter(env::containsKey)
                .findFirst()
                .map(v -> new SecretSource.FromEnv(secret, v));
    }
}
