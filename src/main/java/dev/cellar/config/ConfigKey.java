package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every setting Cellar reads, with its type and allowed range. The YAML file, the {@code CELLAR_*}
 * environment and command-line overrides all name settings through this one list, so a key
 * that is not here is a typo and can be reported as one.
 */
enum ConfigKey {
    REPOSITORY_PATH("repository.path", Kind.PATH),
    REPOSITORY_PASSPHRASE_FILE("repository.passphrase-file", Kind.PATH),
    REPOSITORY_PASSPHRASE_ENV("repository.passphrase-env", Kind.ENV_NAME),
    REPOSITORY_KEY_FILE("repository.key-file", Kind.PATH),
    DATABASE_HOST("database.host", Kind.TEXT),
    DATABASE_PORT("database.port", 1, 65535),
    DATABASE_USER("database.user", Kind.TEXT),
    DATABASE_NAME("database.name", Kind.TEXT),
    DATABASE_PASSWORD_FILE("database.password-file", Kind.PATH),
    DATABASE_PASSWORD_ENV("database.password-env", Kind.ENV_NAME),
    POSTGRES_BIN_DIR("postgres.bin-dir", Kind.PATH),
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
    WAL_STREAM_SLOT("wal.stream-slot", Kind.TEXT);

    /** How a setting's text is read. */
    enum Kind { TEXT, PATH, INT, ENV_NAME }

    private final String dotted;
    private final Kind kind;
    private final int min;
    private final int max;

    ConfigKey(String dotted, Kind kind) {
        this(dotted, kind, 0, 0);
    }

    ConfigKey(String dotted, int min, int max) {
        this(dotted, Kind.INT, min, max);
    }

    ConfigKey(String dotted, Kind kind, int min, int max) {
        this.dotted = dotted;
        this.kind = kind;
        this.min = min;
        this.max = max;
    }

    /** The name used in YAML (as section + key) and in overrides, e.g. {@code backup.work-dir}. */
    String dotted() {
        return dotted;
    }

    String section() {
        return dotted.substring(0, dotted.indexOf('.'));
    }

    Kind kind() {
        return kind;
    }

    /** The environment variable that overrides the file, e.g. {@code CELLAR_BACKUP_WORK_DIR}. */
    String envVariable() {
        return "CELLAR_" + dotted.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
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

    static Optional<ConfigKey> byDotted(String dotted) {
        return Arrays.stream(values()).filter(k -> k.dotted.equals(dotted)).findFirst();
    }

    static List<String> sections() {
        return Arrays.stream(values()).map(ConfigKey::section).distinct().toList();
    }

    static List<String> allDotted() {
        return Arrays.stream(values()).map(ConfigKey::dotted).toList();
    }
}
