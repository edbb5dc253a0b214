package dev.cellar.repo;

import dev.cellar.pipeline.AeadCipher;
import dev.cellar.pipeline.KeyedHasher;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content-addressed chunks: {@code chunks/<first two hex digits>/<id>}, each compressed then
 * sealed. Writing a chunk that already exists costs at most one existence check, or a refused
 * conditional create where a request is dearer than sealing.
 * Every read is authenticated; {@link #get} also re-hashes the plain bytes against the id,
 * {@link #getAuthenticated} leaves that to a caller that checks the whole file it rebuilds.
 */
public final class ChunkStore {
    static final String PREFIX = RepositoryLayout.CHUNKS;

    private final Storage storage;
    private final AeadCipher cipher;
    private final KeyedHasher hasher;
    /** The WORM lock of the backup writing through this view; null for unlocked writes. */
    private final Retention lock;
    /** Chunks this view already wrote or extended under {@link #lock}: each costs one retention call, not one per use. */
    private final Set<String> retained = ConcurrentHashMap.newKeySet();
    /** Of a backup's view ({@link #forBackup}): chunks its shared repository lock keeps present; empty otherwise. */
    private final Set<String> known;
    /** Of a backup's view: chunks one of its puts writes or wrote; null on the repository's shared view. */
    private final Set<String> claimed;

    ChunkStore(Storage storage, AeadCipher cipher, KeyedHasher hasher) {
        this(storage, cipher, hasher, null, Set.of(), null);
    }

    private ChunkStore(Storage storage, AeadCipher cipher, KeyedHasher hasher, Retention lock, Set<String> known, Set<String> claimed) {
        this.storage = storage;
        this.cipher = cipher;
        this.hasher = hasher;
        this.lock = lock;
        this.known = known;
        this.claimed = claimed;
    }

    /**
     * The chunk store as one locked backup writes to it: every new chunk is created under
     * {@code lock} and every chunk it reuses has its retention extended to at least {@code lock},
     * so no chunk the backup needs can be deleted before the backup can. Null: unlocked writes.
     */
    public ChunkStore lockedUntil(Retention lock) {
        return lock == null ? this : new ChunkStore(storage, cipher, hasher, lock, known, claimed);
    }

    /**
     * The chunk store as one backup writes to it, locked as {@link #lockedUntil} (null: unlocked).
     * {@code present} are chunks the caller knows exist and that cannot vanish while it writes:
     * the chunks of manifests read under the shared repository lock, which keeps gc (the only
     * deleter of chunks) away. Storing one of them asks the storage nothing (a locked view still
     * extends its retention). A chunk the backup stores twice (zero-filled blocks, duplicated
     * files) is sent once: the backup fails as a whole if that one put fails, so the second
     * use needs no request of its own.
     */
    public ChunkStore forBackup(Retention lock, java.util.Collection<String> present) {
        Set<String> known = storage.manifestsVouchForChunks() ? Set.copyOf(present) : Set.of();
        return new ChunkStore(storage, cipher, hasher, lock, known, ConcurrentHashMap.newKeySet());
    }

    /** Outcome of storing one chunk: its reference, and how many bytes the storage gained. */
    public record Stored(ChunkRef ref, long storedBytes) {
    }

    public String idOf(byte[] data, int offset, int length) {
        return hasher.idOf(data, offset, length);
    }

    /**
     * Stores a chunk whose id the caller computed with {@link #idOf}, unless it exists. Whether it
     * exists is known without a request for a backup's known and already-claimed chunks; for the
     * others a backup's view asks first only where asking is cheap and otherwise lets the
     * create-if-absent answer; the shared view always asks first.
     */
    public Stored put(String id, byte[] data, int offset, int length, ZstdCodec codec) {
        ChunkRef ref = new ChunkRef(id, length);
        String key = keyOf(id);
        if (claimed != null && !claimed.add(id)) {
            return new Stored(ref, 0); // another put of this backup writes it (locked, under a locked view)
        }
        // a backup's view knows the chunks that exist already, so one it does not know is most likely new
        boolean ask = claimed == null || storage.askBeforeCreate();
        if (known.contains(id) || ask && storage.exists(key)) {
            retain(ref);
            return new Stored(ref, 0);
        }
        byte[] sealed = cipher.seal(codec.encode(data, offset, length), key);
        if (lock != null) {
            retained.add(id);
            // created locked, or (created meanwhile by another backup) extended: locked either way
            return new Stored(ref, storage.putIfAbsentRetained(key, sealed, lock) ? sealed.length : 0);
        }
        // made durable by ManifestStore.save before any manifest can refer to it
        return new Stored(ref, storage.putIfAbsentLazily(key, sealed) ? sealed.length : 0);
    }

    /**
     * For a locked view: extends the retention of a chunk the backup reuses without writing it
     * (an incremental's unchanged files), once per chunk. Does nothing on an unlocked view.
     */
    public void retain(ChunkRef ref) {
        if (lock != null && retained.add(ref.id())) {
            storage.extendRetention(keyOf(ref.id()), lock);
        }
    }

    /**
     * Reads, authenticates, decompresses and re-hashes one chunk. The check runs inside the
     * storage's read, so a storage with several copies answers from the next copy when one
     * holds the chunk damaged.
     */
    public byte[] get(ChunkRef ref) {
        String key = keyOf(ref.id());
        try {
            return storage.read(key, sealed -> open(ref, key, sealed));
        } catch (NoSuchObjectException e) {
            throw new CorruptObjectException(key, "is missing");
        }
    }

    /**
     * Reads, authenticates and decompresses one chunk into {@code out} (a direct buffer with room
     * for it), without re-hashing it against its id: for a caller that checks what it rebuilds
     * end to end (physical restore checks every file's CRC-32C) and writes it to a file from there.
     * The AES-GCM tag, with the object key (which holds the id) as associated data, already proves
     * these are the bytes a holder of the key sealed under this id; what the re-hash adds, that the
     * writer computed the id from these very bytes, matters for deduplication and {@code verify},
     * not for putting the bytes back. The size is still checked. Returns {@code out}, the chunk
     * between position 0 and its limit.
     */
    public ByteBuffer getAuthenticatedInto(ChunkRef ref, ByteBuffer out) {
        if (!out.isDirect() || out.capacity() < ref.size()) {
            // the caller's mistake, not the chunk's: not to be reported as damage
            throw new IllegalArgumentException("chunk " + ref.id() + " needs a direct buffer of at least " + ref.size() + " bytes");
        }
        String key = keyOf(ref.id());
        try {
            return storage.read(key, sealed -> {
                try {
                    return ZstdCodec.decodeInto(cipher.open(sealed, key), out, ref.size());
                } catch (AeadCipher.AuthenticationFailedException | IllegalArgumentException e) {
                    throw new CorruptObjectException(key, "is corrupt (" + e.getMessage() + ")");
                }
            });
        } catch (NoSuchObjectException e) {
            throw new CorruptObjectException(key, "is missing");
        }
    }

    /**
     * The chunk's stored bytes, checked as {@link #get} checks them: what {@code repo sync} and
     * {@code verify --repair} copy into another copy of the repository, so damage is never copied.
     */
    public byte[] getSealed(ChunkRef ref) {
        String key = keyOf(ref.id());
        try {
            return storage.read(key, sealed -> {
                open(ref, key, sealed);
                return sealed;
            });
        } catch (NoSuchObjectException e) {
            throw new CorruptObjectException(key, "is missing");
        }
    }

    private byte[] open(ChunkRef ref, String key, byte[] sealed) {
        byte[] plain = openAuthenticated(ref, key, sealed);
        String actual = hasher.idOf(plain);
        if (plain.length != ref.size() || !MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII), ref.id().getBytes(StandardCharsets.US_ASCII))) {
            throw new CorruptObjectException(key, "does not match its id");
        }
        return plain;
    }

    private byte[] openAuthenticated(ChunkRef ref, String key, byte[] sealed) {
        byte[] plain;
        try {
            plain = ZstdCodec.decode(cipher.open(sealed, key), ref.size());
        } catch (AeadCipher.AuthenticationFailedException | IllegalArgumentException e) {
            throw new CorruptObjectException(key, "is corrupt (" + e.getMessage() + ")");
        }
        if (plain.length != ref.size()) {
            throw new CorruptObjectException(key, "is not the size its reference records");
        }
        return plain;
    }

    /** The storage key of a chunk ({@code chunks/ab/abcd...}). */
    public static String objectKey(String id) {
        return keyOf(id);
    }

    public long storedSize(String id) {
        return storage.size(keyOf(id));
    }

    /** Ids of every chunk in the repository. */
    public List<String> listIds() {
        return storage.list(PREFIX).stream().map(k -> k.substring(k.lastIndexOf('/') + 1)).toList();
    }

    public void delete(String id) {
        storage.delete(keyOf(id));
    }

    static String keyOf(String id) {
        if (id.length() < 3 || !HexFormat.isHexDigit(id.charAt(0))) {
            throw new IllegalArgumentException("not a chunk id: " + id);
        }
        return PREFIX + id.substring(0, 2) + "/" + id;
    }
}
