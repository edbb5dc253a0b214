package dev.cellar.storage;

import dev.cellar.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A storage that is only read, whatever the driver under it could do: for {@code --read-only},
 * when the repository is evidence (media handed over after an incident, a snapshot) and not one
 * byte of it may change even where the operating system would allow it (as root, say). Every
 * write is refused with {@link WriteRefusedException}, exactly as a read-only mount refuses it.
 */
public final class ReadOnlyStorage implements Storage {
    private final Storage delegate;

    public ReadOnlyStorage(Storage delegate) {
        this.delegate = delegate;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public byte[] get(String key) {
        return delegate.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return delegate.getRange(key, offset, length);
    }

    @Override
    public <T> T read(String key, Function<byte[], T> decode) {
        return delegate.read(key, decode);
    }

    @Override
    public boolean exists(String key) {
        return delegate.exists(key);
    }

    @Override
    public long size(String key) {
        return delegate.size(key);
    }

    @Override
    public List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public int requestsPerWorker() {
        return delegate.requestsPerWorker();
    }

    @Override
    public int requestsInFlight(int workers) {
        return delegate.requestsInFlight(workers);
    }

    @Override
    public boolean askBeforeCreate() {
        return delegate.askBeforeCreate();
    }

    @Override
    public boolean manifestsVouchForChunks() {
        return delegate.manifestsVouchForChunks();
    }

    @Override
    public boolean supportsRetention() {
        return delegate.supportsRetention();
    }

    @Override
    public Optional<Retention> retention(String key) {
        return delegate.retention(key);
    }

    @Override
    public java.util.SortedMap<String, Long> listSizes(String prefix) {
        return delegate.listSizes(prefix);
    }

    @Override
    public boolean versioned() {
        return delegate.versioned();
    }

    @Override
    public List<HiddenObject> listBehindDeleteMarkers(String prefix) {
        return delegate.listBehindDeleteMarkers(prefix);
    }

    @Override
    public List<HiddenObject> hiddenObjectsRead() {
        return delegate.hiddenObjectsRead();
    }

    @Override
    public <T> T readVersion(String key, String versionId, Function<byte[], T> decode) {
        return delegate.readVersion(key, versionId, decode);
    }

    @Override
    public Optional<java.time.Instant> serverTime() {
        return delegate.serverTime();
    }

    @Override
    public Set<String> listArchived(String prefix) {
        return delegate.listArchived(prefix);
    }

    @Override
    public void put(String key, byte[] data) {
        throw refused(key);
    }

    @Override
    public void restoreVersion(String key, String versionId) {
        throw refused(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        throw refused(key);
    }

    @Override
    public boolean putIfAbsentLazily(String key, byte[] data) {
        throw refused(key);
    }

    @Override
    public boolean putIfAbsentRetained(String key, byte[] data, Retention retention) {
        throw refused(key);
    }

    @Override
    public void extendRetention(String key, Retention retention) {
        throw refused(key);
    }

    @Override
    public void delete(String key) {
        throw refused(key);
    }

    @Override
    public boolean requestThaw(String key, Duration keepFor) {
        throw refused(key);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private WriteRefusedException refused(String key) {
        return new WriteRefusedException(ErrorCode.REPOSITORY_INVALID, key, describe(), "opened read-only (--read-only)", null);
    }
}
