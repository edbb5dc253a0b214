package dev.cellar.repo;

import dev.cellar.pipeline.AeadCipher;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.ObjectLockedException;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rewrites every chunk, manifest (with its summary) and WAL object of one copy that is sealed with
 * an older data key, sealed with the current one: each is read, authenticated, sealed again under the same name
 * (so chunk ids, and deduplication across the rotation, do not change), written in place
 * atomically, and read back and authenticated before it counts.
 *
 * <p>Resumable by construction: an object already on the current key is skipped, so a run killed
 * half-way is finished by running it again. Runs under the shared repository lock, beside backups
 * and restores (both keys open everything) but never beside expire or gc, which could otherwise
 * see a deleted manifest or chunk written back. Objects under WORM retention are not touched
 * before their date; growing WAL {@code .partial} objects are left to the stream that replaces them.
 */
public final class ObjectReencryption {
    private static final List<String> PREFIXES = List.of(RepositoryLayout.BACKUPS, RepositoryLayout.WAL, RepositoryLayout.CHUNKS);
    private static final String PARTIAL = ".partial";

    private final Repository repository;

    public ObjectReencryption(Repository repository) {
        this.repository = repository;
    }

    /** An object that keeps its older key for now: WORM-locked until {@code until}. */
    public record LockedObject(String key, Instant until) {
    }

    /**
     * @param checked          objects looked at
     * @param reencrypted      objects rewritten with the current key this run
     * @param alreadyCurrent   objects that were on the current key already
     * @param vanished         objects listed but deleted before they were read
     * @param partialsSkipped  growing WAL objects left to the stream
     * @param lockedBackups    manifests under WORM retention (their backups' chunks are locked too)
     * @param lockedObjects    how many objects (manifests, chunks, WAL) are under retention and kept their key
     * @param lockedUntil      the latest retention date among them, null when none
     * @param summariesResealed backup summaries sealed again for their rewritten manifests (not counted in {@code checked})
     * @param damaged          objects that did not authenticate: left as they are, reported
     * @param olderKeyObjects  objects still on an older key after this run, by key id
     */
    public record Result(int currentKeyId, long checked, long reencrypted, long alreadyCurrent, long vanished, long partialsSkipped,
                         List<LockedObject> lockedBackups, long lockedObjects, Instant lockedUntil, long summariesResealed, List<String> damaged,
                         Map<Integer, Long> olderKeyObjects, long bytesRewritten, Duration duration) {
        public boolean finished() {
            return olderKeyObjects.isEmpty() && damaged.isEmpty();
        }
    }

    public Result run(int jobs, Duration lockWait, ProgressListener progress) {
        try (RepositoryLock.Held lock = repository.locks().acquireShared("key reencrypt", lockWait)) {
            return runLocked(jobs, progress);
        }
    }

    private Result runLocked(int jobs, ProgressListener progress) {
        long started = System.nanoTime();
        Storage storage = repository.storage();
        AeadCipher cipher = repository.keyring().cipher();
        int current = cipher.currentKeyId();
        List<String> keys = new ArrayList<>();
        for (String prefix : PREFIXES) {
            keys.addAll(storage.list(prefix));
        }
        Tally tally = new Tally();
        AtomicLong done = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, jobs), runnable -> {
            Thread thread = new Thread(runnable, "reencrypt");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (String key : keys) {
                pending.add(workers.submit(() -> {
                    one(storage, cipher, current, key, tally);
                    progress.progress("re-encrypt", done.incrementAndGet(), keys.size());
                }));
            }
            for (Future<?> future : pending) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("re-encryption interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            workers.shutdownNow();
        }
        return tally.result(current, keys.size(), Duration.ofNanos(System.nanoTime() - started));
    }

    private void one(Storage storage, AeadCipher cipher, int current, String key, Tally tally) {
        if (key.endsWith(PARTIAL)) {
            tally.partials.incrementAndGet();
            return;
        }
        byte[] stored;
        try {
            stored = storage.get(key);
        } catch (NoSuchObjectException gone) {
            tally.vanished.incrementAndGet();
            return;
        }
        List<Integer> keyIds;
        try {
            keyIds = keyIds(key, stored);
        } catch (RuntimeException damaged) {
            tally.damaged(key);
            return;
        }
        if (keyIds.stream().allMatch(id -> id == current)) {
            tally.alreadyCurrent.incrementAndGet();
            summaryOf(key, stored, tally);
            return;
        }
        int older = keyIds.stream().filter(id -> id != current).findFirst().orElseThrow();
        Optional<Instant> lockedUntil = lockedUntil(storage, key);
        if (lockedUntil.isPresent()) {
            tally.locked(key, lockedUntil.get(), older);
            return;
        }
        byte[] resealed;
        try {
            resealed = resealed(key, stored, cipher);
        } catch (RuntimeException damaged) {
            tally.damaged(key);
            tally.olderKey(older);
            return;
        }
        storage.put(key, resealed);
        // read back: what counts as re-encrypted is what the storage now returns and authenticates
        byte[] back = storage.get(key);
        resealed(key, back, cipher);
        tally.reencrypted.incrementAndGet();
        tally.bytes.addAndGet(back.length);
        summaryOf(key, back, tally);
    }

    /**
     * A manifest's summary names the manifest by its AES-GCM tag, which sealing it again changed:
     * the summary is sealed again with the new tag (and key) here, never on its own, so a listing
     * never finds a summary for a manifest version that no longer exists.
     */
    private void summaryOf(String key, byte[] sealedManifest, Tally tally) {
        if (!key.startsWith(RepositoryLayout.BACKUPS)) {
            return;
        }
        String id = key.substring(RepositoryLayout.BACKUPS.length());
        try {
            if (repository.manifests().resealSummary(id, sealedManifest)) {
                tally.summaries.incrementAndGet();
            }
        } catch (CorruptObjectException damaged) {
            tally.damaged(ManifestStore.summaryKeyOf(id));
        } catch (ObjectLockedException locked) {
            // under the same retention as its manifest, which was rewritten: left for a run after the date
        }
    }

    private Optional<Instant> lockedUntil(Storage storage, String key) {
        if (!storage.supportsRetention()) {
            return Optional.empty();
        }
        Instant now = repository.clock().instant();
        return storage.retention(key).map(Retention::retainUntil).filter(until -> until.isAfter(now));
    }

    private static List<Integer> keyIds(String key, byte[] stored) {
        return key.startsWith(RepositoryLayout.WAL) ? WalStore.keyIds(key, stored) : List.of(AeadCipher.keyIdOf(stored));
    }

    private byte[] resealed(String key, byte[] stored, AeadCipher cipher) {
        if (key.startsWith(RepositoryLayout.WAL)) {
            return repository.wal().resealed(key, stored);
        }
        try {
            return cipher.seal(cipher.open(stored, key), key);
        } catch (AeadCipher.AuthenticationFailedException e) {
            throw new CorruptObjectException(key, "is corrupt (" + e.getMessage() + ")");
        }
    }

    /** Counts kept by the workers. */
    private static final class Tally {
        final AtomicLong reencrypted = new AtomicLong();
        final AtomicLong alreadyCurrent = new AtomicLong();
        final AtomicLong vanished = new AtomicLong();
        final AtomicLong partials = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong summaries = new AtomicLong();
        private final List<LockedObject> lockedBackups = new ArrayList<>();
        private final List<String> damaged = new ArrayList<>();
        private final Map<Integer, Long> olderKeys = new TreeMap<>();
        private long locked;
        private Instant lockedUntil;

        synchronized void locked(String key, Instant until, int keyId) {
            locked++;
            lockedUntil = lockedUntil == null || until.isAfter(lockedUntil) ? until : lockedUntil;
            if (key.startsWith(RepositoryLayout.BACKUPS)) {
                lockedBackups.add(new LockedObject(key.substring(RepositoryLayout.BACKUPS.length()), until));
            }
            olderKey(keyId);
        }

        synchronized void damaged(String key) {
            damaged.add(key);
        }

        synchronized void olderKey(int keyId) {
            olderKeys.merge(keyId, 1L, Long::sum);
        }

        synchronized Result result(int current, long checked, Duration duration) {
            lockedBackups.sort(java.util.Comparator.comparing(LockedObject::key));
            damaged.sort(null);
            return new Result(current, checked, reencrypted.get(), alreadyCurrent.get(), vanished.get(), partials.get(),
                    List.copyOf(lockedBackups), locked, lockedUntil, summaries.get(), List.copyOf(damaged), java.util.Collections.unmodifiableMap(new TreeMap<>(olderKeys)), bytes.get(), duration);
        }
    }
}
