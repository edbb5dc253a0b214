package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Sealed backup manifests under {@code backups/<id>}; listing this folder lists the backups. */
public final class ManifestStore {
    static final String PREFIX = RepositoryLayout.BACKUPS;
    /** The field of every chunk list in a manifest: a stream's, a physical file's, the globals stream's. */
    private static final String CHUNK_REFERENCES = "chunks";

    private final Storage storage;
    private final AeadCipher cipher;

    ManifestStore(Storage storage, AeadCipher cipher) {
        this.storage = storage;
        this.cipher = cipher;
    }

    /**
     * Commits a backup. Refuses to replace an existing manifest: ids are never reused. A manifest
     * that records a {@link BackupManifest#retention() retention} is created under it.
     */
    public void save(BackupManifest manifest) {
        String key = keyOf(manifest.id());
        // chunks first, manifest last: the chunks written lazily become durable before it exists
        storage.flushLazyWrites();
        byte[] sealed = cipher.seal(RepositoryJson.write(manifest), key);
        boolean created = manifest.retention() == null ? storage.putIfAbsent(key, sealed)
                : storage.putIfAbsentRetained(key, sealed, manifest.retention());
        if (!created) {
            throw new CellarException(ErrorCode.INTERNAL, "backup id " + manifest.id() + " already exists");
        }
    }

    /** Ids of every committed backup, oldest first (ids sort by start time). */
    public List<String> ids() {
        return storage.list(PREFIX).stream().map(k -> k.substring(PREFIX.length())).toList();
    }

    public BackupManifest load(String id) {
        String key = keyOf(id);
        return read(id, key, sealed -> decode(id, key, sealed));
    }

    /**
     * The manifest authenticated whole, as {@link #load} does, but read without its chunk
     * references: what a listing needs (sizes, times, tables, the physical header) at a fraction
     * of the memory and parsing, since chunk references are most of a physical manifest. The
     * result must not be used to read or verify the backup.
     */
    public BackupManifest loadWithoutChunks(String id) {
        String key = keyOf(id);
        return read(id, key, sealed -> decodeWithoutChunks(id, key, sealed));
    }

    /** One stored version of a backup's manifest (versioned storage), checked as {@link #load} checks the current one. */
    public BackupManifest loadVersion(String id, String versionId) {
        String key = keyOf(id);
        return storage.readVersion(key, versionId, sealed -> decode(id, key, sealed));
    }

    /**
     * The manifest's stored bytes, checked as {@link #load} checks them: what {@code repo sync}
     * and {@code verify --repair} copy into another copy of the repository.
     */
    public byte[] loadSealed(String id) {
        String key = keyOf(id);
        return read(id, key, sealed -> {
            decode(id, key, sealed);
            return sealed;
        });
    }

    /** The storage key of a backup's manifest ({@code backups/<id>}). */
    public static String objectKey(String id) {
        return keyOf(id);
    }

    private <T> T read(String id, String key, java.util.function.Function<byte[], T> decode) {
        try {
            // decoded inside the read, so a storage with several copies tries the next one on damage
            return storage.read(key, decode);
        } catch (NoSuchObjectException e) {
            throw new CellarException(ErrorCode.NOT_FOUND, "no backup " + id + " in repository " + storage.describe(),
                    "run 'cellar list' to see the backups");
        }
    }

    private BackupManifest decode(String id, String key, byte[] sealed) {
        try {
            return RepositoryJson.read(cipher.open(sealed, key), BackupManifest.class);
        } catch (AeadCipher.AuthenticationFailedException | IOException e) {
            throw new CorruptObjectException(key, "(manifest of backup " + id + ") is corrupt: " + e.getMessage());
        }
    }

    private BackupManifest decodeWithoutChunks(String id, String key, byte[] sealed) {
        try {
            return RepositoryJson.readWithout(cipher.open(sealed, key), BackupManifest.class, CHUNK_REFERENCES);
        } catch (AeadCipher.AuthenticationFailedException | IOException e) {
            throw new CorruptObjectException(key, "(manifest of backup " + id + ") is corrupt: " + e.getMessage());
        }
    }

    /** The retention the storage holds the backup's manifest under (for verify to compare with the manifest's own record). */
    public Optional<Retention> storedRetention(String id) {
        return storage.retention(keyOf(id));
    }

    /** Removes a backup (expiry). Its chunks stay until gc finds them unreferenced. */
    public void delete(String id) {
        storage.delete(keyOf(id));
    }

    static String keyOf(String id) {
        if (!id.matches("[0-9A-Za-z_.-]+")) {
            throw new CellarException(ErrorCode.NOT_FOUND, "'" + id + "' is not a backup id", "run 'cellar list' to see the backups");
        }
        return PREFIX + id;
    }
}
