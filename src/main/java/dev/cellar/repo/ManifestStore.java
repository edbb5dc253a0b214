package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Sealed backup manifests under {@code backups/<id>}; listing this folder lists the backups.
 * Beside each, a sealed {@link BackupHeadline} under {@code summaries/<id>} for listings.
 */
public final class ManifestStore {
    static final String PREFIX = RepositoryLayout.BACKUPS;
    static final String SUMMARY_PREFIX = RepositoryLayout.SUMMARIES;
    /** The AES-GCM tag closes every sealed object: what a summary names its manifest by. */
    private static final int TAG_BYTES = 16;
    /** The field of every chunk list in a manifest: a stream's, a physical file's, the globals stream's. */
    private static final String CHUNK_REFERENCES = "chunks";

    private final Storage storage;
    private final AeadCipher cipher;
    /** Whether manifests are sealed compressed: repositories of format 2 on (see {@link ManifestPlaintext}). */
    private final boolean compressed;

    ManifestStore(Storage storage, AeadCipher cipher, boolean compressed) {
        this.storage = storage;
        this.cipher = cipher;
        this.compressed = compressed;
    }

    /**
     * Commits a backup. Refuses to replace an existing manifest: ids are never reused. A manifest
     * that records a {@link BackupManifest#retention() retention} is created under it.
     */
    public void save(BackupManifest manifest) {
        String key = keyOf(manifest.id());
        // chunks first, manifest last: the chunks written lazily become durable before it exists
        storage.flushLazyWrites();
        byte[] sealed = cipher.seal(ManifestPlaintext.of(RepositoryJson.write(manifest), compressed), key);
        // the summary before the manifest: a crash between leaves a summary no listing reads (gc removes it)
        String summaryKey = summaryKeyOf(manifest.id());
        byte[] summary = cipher.seal(RepositoryJson.write(BackupHeadline.of(manifest, tagOf(sealed))), summaryKey);
        if (manifest.retention() == null) {
            storage.put(summaryKey, summary);
        } else {
            storage.putIfAbsentRetained(summaryKey, summary, manifest.retention());
        }
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

    /**
     * What a listing shows of a backup: the manifest is read and authenticated whole, as
     * {@link #load} does, but parsed only when it has no summary written for it ({@code hasSummary}:
     * whether the caller's listing of {@code summaries/} holds one). A damaged summary falls back
     * to the manifest too: the manifest is the truth, and verify reports the summary.
     */
    public BackupHeadline headline(String id, boolean hasSummary) {
        String key = keyOf(id);
        Opened manifest = read(id, key, sealed -> new Opened(open(id, key, sealed), tagOf(sealed)));
        BackupHeadline summary = hasSummary ? storedSummary(id) : null;
        if (BackupHeadline.standsFor(summary, id, manifest.tag())) {
            return summary;
        }
        try {
            return BackupHeadline.of(RepositoryJson.readWithout(ManifestPlaintext.json(manifest.plaintext()), BackupManifest.class, CHUNK_REFERENCES), manifest.tag());
        } catch (IOException e) {
            throw corrupt(id, key, e);
        }
    }

    /** A manifest authenticated and not yet parsed, with the tag that closed its sealed form. */
    private record Opened(byte[] plaintext, String tag) {
    }

    /** The backup's stored summary, authenticated; null when there is none or it does not read. */
    private BackupHeadline storedSummary(String id) {
        try {
            return summary(id).orElse(null);
        } catch (CorruptObjectException e) {
            return null;
        }
    }

    /**
     * The backup's stored summary, authenticated, or empty when it has none (backups written
     * before summaries existed).
     *
     * @throws CorruptObjectException when it is there and does not authenticate or parse
     */
    public Optional<BackupHeadline> summary(String id) {
        String key = summaryKeyOf(id);
        try {
            return Optional.of(storage.read(key, sealed -> {
                try {
                    return RepositoryJson.read(cipher.open(sealed, key), BackupHeadline.class);
                } catch (AeadCipher.AuthenticationFailedException | IOException e) {
                    throw new CorruptObjectException(key, "(summary of backup " + id + ") is corrupt: " + e.getMessage());
                }
            }));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /**
     * After {@code cellar key reencrypt} sealed a manifest again: its summary sealed with the
     * current key and naming the manifest's new tag, so listings keep using it. Returns whether it
     * was rewritten (false: the backup has none, or it is current already).
     *
     * @throws CorruptObjectException when the summary is there and does not authenticate
     */
    boolean resealSummary(String id, byte[] sealedManifest) {
        String key = summaryKeyOf(id);
        byte[] stored;
        try {
            stored = storage.get(key);
        } catch (NoSuchObjectException e) {
            return false;
        }
        BackupHeadline summary;
        try {
            summary = RepositoryJson.read(cipher.open(stored, key), BackupHeadline.class);
        } catch (AeadCipher.AuthenticationFailedException | IOException e) {
            throw new CorruptObjectException(key, "(summary of backup " + id + ") is corrupt: " + e.getMessage());
        }
        String tag = tagOf(sealedManifest);
        if (AeadCipher.keyIdOf(stored) == cipher.currentKeyId() && tag.equals(summary.manifestTag())) {
            return false;
        }
        BackupHeadline renamed = new BackupHeadline(summary.format(), summary.id(), tag, summary.kind(), summary.physicalType(),
                summary.database(), summary.systemIdentifier(), summary.startedAt(), summary.finishedAt(), summary.totalBytes(),
                summary.storedBytes(), summary.tables(), summary.rows(), summary.serverVersion(), summary.timeline(), summary.startLsn(),
                summary.stopLsn(), summary.run());
        storage.put(key, cipher.seal(RepositoryJson.write(renamed), key));
        return true;
    }

    /** The summary's stored bytes, checked as {@link #summary} checks them, or empty when it has none: for {@code repo sync}. */
    public Optional<byte[]> summarySealed(String id) {
        String key = summaryKeyOf(id);
        try {
            return Optional.of(storage.read(key, sealed -> {
                try {
                    cipher.open(sealed, key);
                    return sealed;
                } catch (AeadCipher.AuthenticationFailedException e) {
                    throw new CorruptObjectException(key, "(summary of backup " + id + ") is corrupt: " + e.getMessage());
                }
            }));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /** Ids of the backups that have a summary; a summary whose manifest is gone is among them until gc removes it. */
    public List<String> idsWithSummary() {
        return storage.list(SUMMARY_PREFIX).stream().map(k -> k.substring(SUMMARY_PREFIX.length())).toList();
    }

    /** The storage key of a backup's summary ({@code summaries/<id>}). */
    public static String summaryObjectKey(String id) {
        return summaryKeyOf(id);
    }

    /** Removes a summary whose manifest is gone (a backup that crashed before its manifest was written). */
    public void deleteOrphanSummary(String id) {
        storage.delete(summaryKeyOf(id));
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
            return RepositoryJson.read(ManifestPlaintext.json(cipher.open(sealed, key)), BackupManifest.class);
        } catch (AeadCipher.AuthenticationFailedException | IOException e) {
            throw corrupt(id, key, e);
        }
    }

    private byte[] open(String id, String key, byte[] sealed) {
        try {
            return cipher.open(sealed, key);
        } catch (AeadCipher.AuthenticationFailedException e) {
            throw corrupt(id, key, e);
        }
    }

    private static CorruptObjectException corrupt(String id, String key, Exception e) {
        return new CorruptObjectException(key, "(manifest of backup " + id + ") is corrupt: " + e.getMessage());
    }

    private static String tagOf(byte[] sealed) {
        return HexFormat.of().formatHex(sealed, Math.max(0, sealed.length - TAG_BYTES), sealed.length);
    }

    private BackupManifest decodeWithoutChunks(String id, String key, byte[] sealed) {
        try {
            return RepositoryJson.readWithout(ManifestPlaintext.json(cipher.open(sealed, key)), BackupManifest.class, CHUNK_REFERENCES);
        } catch (AeadCipher.AuthenticationFailedException | IOException e) {
            throw new CorruptObjectException(key, "(manifest of backup " + id + ") is corrupt: " + e.getMessage());
        }
    }

    /** The retention the storage holds the backup's manifest under (for verify to compare with the manifest's own record). */
    public Optional<Retention> storedRetention(String id) {
        return storage.retention(keyOf(id));
    }

    /**
     * Removes a backup (expiry). Its chunks stay until gc finds them unreferenced. The summary
     * goes first: a crash between leaves a manifest without one, which listings read whole.
     */
    public void delete(String id) {
        storage.delete(summaryKeyOf(id));
        storage.delete(keyOf(id));
    }

    static String summaryKeyOf(String id) {
        return SUMMARY_PREFIX + keyOf(id).substring(PREFIX.length());
    }

    static String keyOf(String id) {
        if (!id.matches("[0-9A-Za-z_.-]+")) {
            throw new CellarException(ErrorCode.NOT_FOUND, "'" + id + "' is not a backup id", "run 'cellar list' to see the backups");
        }
        return PREFIX + id;
    }
}
