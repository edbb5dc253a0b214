package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.util.List;

/** Sealed backup manifests under {@code backups/<id>}; listing this folder lists the backups. */
public final class ManifestStore {
    static final String PREFIX = RepositoryLayout.BACKUPS;

    private final Storage storage;
    private final AeadCipher cipher;

    ManifestStore(Storage storage, AeadCipher cipher) {
        this.storage = storage;
        this.cipher = cipher;
    }

    /** Commits a backup. Refuses to replace an existing manifest: ids are never reused. */
    public void save(BackupManifest manifest) {
        String key = keyOf(manifest.id());
        // chunks first, manifest last: the chunks written lazily become durable before it exists
        storage.flushLazyWrites();
        if (!storage.putIfAbsent(key, cipher.seal(RepositoryJson.write(manifest), key))) {
            throw new CellarException(ErrorCode.INTERNAL, "backup id " + manifest.id() + " already exists");
        }
    }

    /** Ids of every committed backup, oldest first (ids sort by start time). */
    public List<String> ids() {
        return storage.list(PREFIX).stream().map(k -> k.substring(PREFIX.length())).toList();
    }

    public BackupManifest load(String id) {
        String key = keyOf(id);
        byte[] sealed;
        try {
            sealed = storage.get(key);
        } catch (NoSuchObjectException e) {
            throw new CellarException(ErrorCode.NOT_FOUND, "no backup " + id + " in repository " + storage.describe(),
                    "run 'cellar list' to see the backups");
        }
        try {
            return RepositoryJson.read(cipher.open(sealed, key), BackupManifest.class);
        } catch (AeadCipher.AuthenticationFailedException | IOException e) {
            throw new CorruptObjectException(key, "(manifest of backup " + id + ") is corrupt: " + e.getMessage());
        }
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
