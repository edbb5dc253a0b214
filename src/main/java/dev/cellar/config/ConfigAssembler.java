package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    private final Map<String, String> env;

    ConfigAssembler(Settings settings, Map<String, Map<ConfigKey, RawValue>> namedRepositories, Map<String, String> env) {
        this.settings = settings;
        this.namedRepositories = namedRepositories;
        this.env = env;
    }

    CellarConfig assemble() {
        return new CellarConfig(repository(), repositories(), database(), postgres(), backup(), retention(), wal(),
                worm(), lifecycle(), serverHttp());
    }

    private RepositoryConfig repository() {
        var keyFile = settings.path(ConfigKey.REPOSITORY_KEY_FILE).orElse(null);
        SecretSource passphrase = secret(SecretName.REPOSITORY_PASSPHRASE)
                .orElse(keyFile == null ? new SecretSource.Prompt(SecretName.REPOSITORY_PASSPHRASE) : null);
        Path folder = namedRepositories.isEmpty()
                ? settings.text(ConfigKey.REPOSITORY_PATH).filter(l -> !l.startsWith(S3Location.SCHEME)).map(Path::of).orElse(null)
                : null;
        return new RepositoryConfig(folder, passphrase, keyFile);
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
                own.integer(ConfigKey.S3_UPLOAD_THREADS).orElse(S3Config.DEFAULT_UPLOAD_THREADS));
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
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw own.invalid(ConfigKey.S3_ENDPOINT, "must be an http(s)://host[:port] URL, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw own.invalid(ConfigKey.S3_ENDPOINT, "is not a URL: " + e.getMessage());
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

    private ServerHttpConfig serverHttp() {
        ListenAddress listen = settings.text(ConfigKey.SERVER_LISTEN)
                .map(text -> ListenAddress.parse(text).orElseThrow(() -> settings.invalid(ConfigKey.SERVER_LISTEN,
                        "must be host:port (IPv6 as [address]:port), e.g. 127.0.0.1:9188 or 0.0.0.0:9188, got '" + text + "'")))
                .orElse(ServerHttpConfig.DEFAULT_LISTEN);
        return new ServerHttpConfig(listen, Duration.ofSeconds(settings.integer(ConfigKey.SERVER_HEALTH_TICK_AGE_SECONDS)
                .orElse(ServerHttpConfig.DEFAULT_HEALTH_TICK_AGE_SECONDS)));
    }

    private DatabaseConfig database() {
        return new DatabaseConfig(
                settings.text(ConfigKey.DATABASE_HOST).orElse(DatabaseConfig.DEFAULT_HOST),
                settings.integer(ConfigKey.DATABASE_PORT).orElse(DatabaseConfig.DEFAULT_PORT),
                settings.text(ConfigKey.DATABASE_USER).orElse(System.getProperty("user.name")),
                settings.text(ConfigKey.DATABASE_NAME).orElse(DatabaseConfig.DEFAULT_NAME),
                secret(SecretName.DATABASE_PASSWORD).orElse(null),
                settings.isSet(ConfigKey.DATABASE_NAME));
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
