package dev.cellar.storage;

import java.util.List;

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
 * </ul>
 */
public interface Storage {

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

    /** Makes every object written by {@link #putIfAbsentLazily} durable; call before committing what refers to them. */
    default void flushLazyWrites() {
    }

    byte[] get(String key);

    boolean exists(String key);

    /** Size in bytes of a stored object. */
    long size(String key);

    /** All keys under the prefix (which should end with '/'), ascending. */
    List<String> list(String prefix);

    /** Removes the object; removing a missing object is not an error. */
    void delete(String key);
}
