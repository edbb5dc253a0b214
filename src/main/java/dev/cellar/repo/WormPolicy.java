package dev.cellar.repo;

import dev.cellar.config.WormConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Which backups are written immutable, and until when: from {@code worm:} in the configuration.
 * A locked backup's retention runs from its start for {@code retain-days}; every object it
 * writes or reuses is kept at least that long (see {@link ChunkStore#lockedUntil}).
 */
public final class WormPolicy {
    private static final WormPolicy OFF = new WormPolicy(WormConfig.off());

    private final WormConfig config;

    public WormPolicy(WormConfig config) {
        this.config = config;
    }

    public static WormPolicy off() {
        return OFF;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * The lock a backup of this kind (and, for a logical backup, database) is written under, or
     * empty when it is written unlocked.
     */
    public Optional<Retention> lockFor(String kind, String database, Instant startedAt) {
        if (!config.enabled() || !config.kinds().contains(kind)) {
            return Optional.empty();
        }
        if (BackupManifest.KIND_LOGICAL.equals(kind) && !config.databases().isEmpty() && !config.databases().contains(database)) {
            return Optional.empty();
        }
        return Optional.of(new Retention(Retention.Mode.valueOf(config.mode().toUpperCase(Locale.ROOT)),
                startedAt.plus(Duration.ofDays(config.retainDays()))));
    }

    /**
     * As {@link #lockFor(String, String, Instant)}, counted from the later of the backup's start
     * and the time of the server that enforces the lock: a host clock running behind never
     * shortens a lock below {@code retain-days} of the server's time.
     */
    public Optional<Retention> lockFor(String kind, String database, Instant startedAt, Optional<Instant> serverTime) {
        Instant from = serverTime.filter(server -> server.isAfter(startedAt)).orElse(startedAt);
        return lockFor(kind, database, from);
    }

    /** Whether a backup of this kind and database would be locked (before its start time is known). */
    public boolean locks(String kind, String database) {
        return lockFor(kind, database, Instant.EPOCH).isPresent();
    }

    /**
     * Refuses at once, before any work, when a backup must be locked but the storage cannot keep
     * objects under retention: writing it unlocked would break the promise the configuration makes.
     */
    public void requireRetentionFor(String kind, String database, Storage storage) {
        if (locks(kind, database) && !storage.supportsRetention()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "worm.mode is " + config.mode().toLowerCase(Locale.ROOT)
                    + " but repository " + storage.describe() + " cannot keep objects under retention",
                    "use a bucket created with S3 Object Lock enabled (or a local folder), or set worm.mode: off");
        }
    }
}
