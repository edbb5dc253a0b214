package dev.cellar.repo;

import dev.cellar.pipeline.AeadCipher;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * WAL files under {@code wal/<timeline>/<file name>}, each one self-contained (no shared chunks),
 * so a WAL object can be copied, moved to a colder storage class or deleted on its own.
 *
 * <p>Object layout: {@code u32 length} of the sealed header, the sealed header (JSON
 * {@link WalObjectHeader}), then the sealed zstd body. Header and body are sealed with
 * different associated data ({@code <key>#header}, {@code <key>}), so neither can be swapped in
 * for the other or for another file's.
 */
public final class WalStore {
    public static final String PREFIX = RepositoryLayout.WAL;

    private final Storage storage;
    private final AeadCipher cipher;

    WalStore(Storage storage, AeadCipher cipher) {
        this.storage = storage;
        this.cipher = cipher;
    }

    /**
     * What is known about an archived WAL file without reading its body.
     *
     * @param name       file name as PostgreSQL gave it
     * @param size       plaintext bytes
     * @param sha256     SHA-256 of the plaintext, hex
     * @param archivedAt when Cellar stored it: commits in it happened no later than this
     */
    public record WalObjectHeader(String name, long size, String sha256, Instant archivedAt) {
    }

    /** Outcome of {@link #putIfAbsent}: whether this call stored it, and the header now stored. */
    public record PutResult(boolean created, WalObjectHeader stored, long storedBytes) {
    }

    /**
     * Stores a WAL file unless an object of that key exists; returns the existing header
     * otherwise, so the caller can decide whether the content is the same.
     */
    public PutResult putIfAbsent(String key, String name, byte[] plain, ZstdCodec codec, Instant now) {
        if (storage.exists(key)) {
            return new PutResult(false, readHeader(key), 0);
        }
        // the body is compressed and sealed while the SHA-256 of the plaintext is computed here:
        // archive_command waits for both
        CompletableFuture<byte[]> body = CompletableFuture.supplyAsync(() -> sealBody(key, plain, codec));
        WalObjectHeader header = new WalObjectHeader(name, plain.length, sha256(plain), now);
        byte[] object = assemble(sealHeader(key, header), joined(body));
        if (storage.putIfAbsent(key, object)) {
            return new PutResult(true, header, object.length);
        }
        return new PutResult(false, readHeader(key), 0);
    }

    /**
     * A WAL file's body as {@link ZstdCodec#encode} makes it and the SHA-256 of its plaintext (hex),
     * made ahead of the store: the WAL agent compresses a segment while PostgreSQL writes it.
     */
    public record EncodedWal(byte[] body, String sha256) {
    }

    /** {@link #putIfAbsent(String, String, byte[], ZstdCodec, Instant)} with the body encoded ahead; only sealing is left. */
    public PutResult putIfAbsent(String key, String name, byte[] plain, EncodedWal encoded, Instant now) {
        if (storage.exists(key)) {
            return new PutResult(false, readHeader(key), 0);
        }
        WalObjectHeader header = new WalObjectHeader(name, plain.length, encoded.sha256(), now);
        byte[] object = assemble(sealHeader(key, header), cipher.seal(encoded.body(), key));
        if (storage.putIfAbsent(key, object)) {
            return new PutResult(true, header, object.length);
        }
        return new PutResult(false, readHeader(key), 0);
    }

    /** Stores or replaces (for a partial segment, which grows while streaming). */
    public long put(String key, String name, byte[] plain, ZstdCodec codec, Instant now) {
        byte[] object = seal(key, new WalObjectHeader(name, plain.length, sha256(plain), now), plain, codec);
        storage.put(key, object);
        return object.length;
    }

    /**
     * Reads, authenticates and checks one WAL file; throws {@link NoSuchObjectException} if absent.
     * The check runs inside the storage's read, so several copies fall back on damage.
     */
    public byte[] get(String key) {
        return storage.read(key, object -> open(key, object));
    }

    /**
     * The WAL object's stored bytes, checked as {@link #get} checks them: what {@code repo sync}
     * and {@code verify --repair} copy into another copy of the repository.
     */
    public byte[] getSealed(String key) {
        return storage.read(key, object -> {
            open(key, object);
            return object;
        });
    }

    private byte[] open(String key, byte[] object) {
        ByteBuffer buffer = ByteBuffer.wrap(object);
        WalObjectHeader header = header(key, buffer);
        byte[] body = new byte[buffer.remaining()];
        buffer.get(body);
        byte[] plain;
        try {
            plain = ZstdCodec.decode(cipher.open(body, key), Math.toIntExact(header.size()));
        } catch (AeadCipher.AuthenticationFailedException | IllegalArgumentException e) {
            throw new CorruptObjectException(key, "is corrupt (" + e.getMessage() + ")");
        }
        if (!sha256(plain).equals(header.sha256())) {
            throw new CorruptObjectException(key, "does not match its recorded SHA-256");
        }
        return plain;
    }

    public WalObjectHeader readHeader(String key) {
        return storage.read(key, object -> header(key, ByteBuffer.wrap(object)));
    }

    public boolean exists(String key) {
        return storage.exists(key);
    }

    public long storedSize(String key) {
        return storage.size(key);
    }

    /** Every WAL object key, ascending (timeline folders sort by timeline, files by position). */
    public List<String> listKeys() {
        return storage.list(PREFIX);
    }

    public void delete(String key) {
        storage.delete(key);
    }

    /** Keeps an archived WAL file at least until {@code lock} (a locked physical backup needs it). */
    public void retain(String key, Retention lock) {
        storage.extendRetention(key, lock);
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The data keys of a stored WAL object's two sealed parts, header first (not yet authenticated). */
    static List<Integer> keyIds(String key, byte[] object) {
        ByteBuffer buffer = ByteBuffer.wrap(object);
        try {
            int length = buffer.getInt();
            if (length <= 0 || length > buffer.remaining()) {
                throw new CorruptObjectException(key, "is truncated");
            }
            return List.of(AeadCipher.keyIdOf(java.util.Arrays.copyOfRange(object, 4, 4 + length)),
                    AeadCipher.keyIdOf(java.util.Arrays.copyOfRange(object, 4 + length, object.length)));
        } catch (java.nio.BufferUnderflowException | AeadCipher.AuthenticationFailedException e) {
            throw new CorruptObjectException(key, "is truncated or of an unknown version");
        }
    }

    /**
     * The same WAL object with both parts opened (authenticated) and sealed again with the
     * cipher's current key: what {@code cellar key reencrypt} writes in its place.
     */
    byte[] resealed(String key, byte[] object) {
        ByteBuffer buffer = ByteBuffer.wrap(object);
        int length = buffer.getInt();
        if (length <= 0 || length > buffer.remaining()) {
            throw new CorruptObjectException(key, "is truncated");
        }
        byte[] sealedHeader = new byte[length];
        buffer.get(sealedHeader);
        byte[] sealedBody = new byte[buffer.remaining()];
        buffer.get(sealedBody);
        try {
            byte[] header = cipher.seal(cipher.open(sealedHeader, key + "#header"), key + "#header");
            byte[] body = cipher.seal(cipher.open(sealedBody, key), key);
            return assemble(header, body);
        } catch (AeadCipher.AuthenticationFailedException e) {
            throw new CorruptObjectException(key, "is corrupt (" + e.getMessage() + ")");
        }
    }

    private byte[] seal(String key, WalObjectHeader header, byte[] plain, ZstdCodec codec) {
        return assemble(sealHeader(key, header), sealBody(key, plain, codec));
    }

    /** The body, or what failed while making it, as thrown there (not wrapped in a CompletionException). */
    private static byte[] joined(CompletableFuture<byte[]> body) {
        try {
            return body.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private byte[] sealHeader(String key, WalObjectHeader header) {
        return cipher.seal(RepositoryJson.write(header), key + "#header");
    }

    private byte[] sealBody(String key, byte[] plain, ZstdCodec codec) {
        return cipher.seal(codec.encode(plain, 0, plain.length), key);
    }

    private static byte[] assemble(byte[] sealedHeader, byte[] sealedBody) {
        return ByteBuffer.allocate(4 + sealedHeader.length + sealedBody.length)
                .putInt(sealedHeader.length).put(sealedHeader).put(sealedBody).array();
    }

    private WalObjectHeader header(String key, ByteBuffer buffer) {
        try {
            int length = buffer.getInt();
            if (length <= 0 || length > buffer.remaining()) {
                throw new CorruptObjectException(key, "is truncated");
            }
            byte[] sealedHeader = new byte[length];
            buffer.get(sealedHeader);
            WalObjectHeader header = RepositoryJson.read(cipher.open(sealedHeader, key + "#header"), WalObjectHeader.class);
            if (!key.endsWith("/" + header.name())) {
                throw new CorruptObjectException(key, "holds WAL file " + header.name() + ", not the one its name says");
            }
            return header;
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptObjectException(key, "is truncated");
        } catch (AeadCipher.AuthenticationFailedException | IOException e) {
            throw new CorruptObjectException(key, "has a corrupt header (" + e.getMessage() + ")");
        }
    }
}
