package dev.cellar.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a repository's objects live. Keys are relative, slash-separated paths such as
 * {@code chunks/ab/abcd...}.
 *
 * <p>Contract every driver keeps:
 * <ul>
 *   <li>{@link #put} and {@link #putIfAbsent} are atomic: a reader sees the whole new object or
 *       none of it, never a prefix, even if the writer dies mid-way.</li>
 *   <li>Read-after-write: once a put returns, {@link #get}, {@link #exists} and {@link #list}
 *       see the object.</li>
 *   <li>{@link #list} returns keys in ascending lexicographic order.</li>
 *   <li>A missing object is reported by {@link NoSuchObjectException}, never by empty data.</li>
 *   <li>Running out of space raises a {@code CellarException} with code {@code STORAGE_FULL} and
 *       leaves no partial object behind.</li>
 *   <li>An object under {@link Retention} cannot be deleted or replaced before its date:
 *       {@link ObjectLockedException}.</li>
 *   <li>An object in an archive storage class is reported by {@link ObjectArchivedException}.</li>
 *   <li>{@link #close} releases what the storage opened (an SDK client, its connection pool, the
 *       threads it writes with); it may be called more than once, and nothing may be asked of the
 *       storage afterwards. A wrapper closes what it wraps; a view of a storage owned by someone
 *       else (a mirror's member) leaves it open. A long-running process (the daemon) opens and
 *       closes storages for every job, so a driver that forgets this leaks threads by the hour.</li>
 * </ul>
 */
public interface Storage extends AutoCloseable {

    /** Human-readable location, for messages ("/var/lib/cellar/repo", "s3://bucket/prefix"). */
    String describe();

    /** Writes the object, replacing any earlier one, atomically. */
    void put(String key, byte[] data);

    /** Creates the object only if no object has the key; returns false if one already did. */
    boolean putIfAbsent(String key, byte[] data);

    /**
     * Like {@link #putIfAbsent}, atomic and exclusive, but the object may reach stable storage
     * only at the next {@link #flushLazyWrites()}: for the thousands of chunks of one backup,
     * which are worthless until their manifest is written, one flush replaces an fsync each.
     */
    default boolean putIfAbsentLazily(String key, byte[] data) {
        return putIfAbsent(key, data);
    }

    /**
     * How many requests to keep in flight for each worker that a backup or restore would give a
     * local disk: 1 there, more for a store where every request waits a network round trip, so
     * the workers that hash, compress and seal are not left idle by that wait.
     */
    default int requestsPerWorker() {
        return 1;
    }

    /**
     * Whether every object a manifest read from this storage refers to is in this storage as
     * well (as long as gc is kept away): true for one store, whose manifests are written after
     * their chunks; false where a manifest may be read from one copy while another lacks chunks.
     */
    default boolean manifestsVouchForChunks() {
        return true;
    }

    /**
     * How many chunk writes a backup with {@code workers} workers keeps in flight: {@code workers}
     * times {@link #requestsPerWorker()} unless the store sets its own bound.
     */
    default int requestsInFlight(int workers) {
        return workers * requestsPerWorker();
    }

    /**
     * Whether a writer of content-addressed objects should ask {@link #exists} before preparing
     * one for {@link #putIfAbsent}: true where asking is cheap next to compressing and sealing (a
     * local disk), false where every request waits a round trip and the create-if-absent answers
     * the same question in its own round trip.
     */
    default boolean askBeforeCreate() {
        return true;
    }

    /** Makes every object written by {@link #putIfAbsentLazily} durable; call before committing what refers to them. */
    default void flushLazyWrites() {
    }

    byte[] get(String key);

    /**
     * Bytes {@code [offset, offset + length)} of the object, fewer if the object ends sooner.
     *
     * @throws NoSuchObjectException when the object does not exist
     */
    default byte[] getRange(String key, long offset, int length) {
        byte[] all = get(key);
        int from = (int) Math.min(offset, all.length);
        return Arrays.copyOfRange(all, from, (int) Math.min((long) from + length, all.length));
    }

    /**
     * Reads the object and decodes it. {@code decode} checks what it reads and throws a
     * {@code CellarException} with code {@code INTEGRITY} when the bytes are damaged; a storage
     * that holds several copies (see {@code MirroredStorage}) then tries the next copy.
     */
    default <T> T read(String key, Function<byte[], T> decode) {
        return decode.apply(get(key));
    }

    boolean exists(String key);

    /** Size in bytes of a stored object. */
    long size(String key);

    /** All keys under the prefix (which should end with '/'), ascending. */
    List<String> list(String prefix);

    /** The stored size of every object under {@code prefix}, by key; one listing where the driver can give sizes with it. */
    default java.util.SortedMap<String, Long> listSizes(String prefix) {
        java.util.SortedMap<String, Long> sizes = new java.util.TreeMap<>();
        for (String key : list(prefix)) {
            sizes.put(key, size(key));
        }
        return sizes;
    }

    /**
     * Removes the object; removing a missing object is not an error.
     *
     * @throws ObjectLockedException when the object is under retention
     */
    void delete(String key);

    /** Whether this storage can keep objects under {@link Retention}. */
    default boolean supportsRetention() {
        return false;
    }

    /**
     * Creates the object only if no object has the key, under WORM retention from the first byte.
     * An existing object keeps its content and gets its retention extended to at least this one.
     *
     * @return false if the object already existed
     */
    default boolean putIfAbsentRetained(String key, byte[] data, Retention retention) {
        throw new UnsupportedOperationException(describe() + " cannot keep objects under retention");
    }

    /** The retention the object is under, if any (an expired one is still returned). */
    default Optional<Retention> retention(String key) {
        return Optional.empty();
    }

    /** Extends the object's retention to at least {@code retention}; never shortens it. */
    default void extendRetention(String key, Retention retention) {
        throw new UnsupportedOperationException(describe() + " cannot keep objects under retention");
    }

    /**
     * Whether this storage keeps old versions of objects (a versioned S3 bucket; every bucket
     * with Object Lock): a delete then only hides the object behind a delete marker, and its
     * bytes stay stored (and billed) until the bucket's lifecycle removes noncurrent versions.
     */
    default boolean versioned() {
        return false;
    }

    /** Objects under {@code prefix} whose newest version is a delete marker over an intact version (versioned storage only). */
    default List<HiddenObject> listBehindDeleteMarkers(String prefix) {
        return List.of();
    }

    /**
     * Objects this storage answered a read of from an older version, in this process, because
     * their newest version was hidden by another client (see the driver's {@link #read}).
     */
    default List<HiddenObject> hiddenObjectsRead() {
        return List.of();
    }

    /** Reads and decodes one stored version of an object (versioned storage only). */
    default <T> T readVersion(String key, String versionId, Function<byte[], T> decode) {
        throw new UnsupportedOperationException(describe() + " keeps no versions");
    }

    /** Makes a stored version the object's newest again, with the lock it has (versioned storage only). */
    default void restoreVersion(String key, String versionId) {
        throw new UnsupportedOperationException(describe() + " keeps no versions");
    }

    /**
     * The current time by the clock of the server that enforces this storage's retention (an S3
     * server's {@code Date}), as of its latest answer; empty for storage this host keeps itself,
     * and before the server has answered anything.
     */
    default Optional<Instant> serverTime() {
        return Optional.empty();
    }

    /**
     * The time retention is judged at: the server's, since the server enforces it; this host's
     * clock only where there is no server, or it has not answered yet.
     */
    default Instant lockTime(Clock hostClock) {
        return serverTime().orElseGet(hostClock::instant);
    }

    /**
     * Keys under {@code prefix} whose objects sit in an archive storage class and are not
     * thawed, so a read of them would fail: from one listing, not a request per object. A
     * storage without archive classes has none.
     */
    default java.util.Set<String> listArchived(String prefix) {
        return java.util.Set.of();
    }

    /**
     * Starts thawing an object that sits in an archive storage class, keeping the thawed copy
     * readable for {@code keepFor}. Returns false when the object is not archived (nothing to do).
     */
    default boolean requestThaw(String key, Duration keepFor) {
        return false;
    }

    /** Releases what this storage opened; see the contract above. Declared without checked exceptions. */
    @Override
    void close();
}
