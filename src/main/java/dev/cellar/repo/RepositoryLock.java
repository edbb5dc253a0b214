package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Storage;
import dev.cellar.storage.WriteRefusedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reader/writer locking through lock files, which works on any storage with atomic create.
 * Backups hold shared locks (many may run at once); garbage collection holds an exclusive lock so
 * it never deletes a chunk that a running backup has just deduplicated against.
 *
 * <p>Protocol: write your own lock file first, then look at the others; if a conflicting live lock
 * is there, remove yours and wait or give up. Two contenders may both back off, never both win.
 * Stale locks (dead holder) are removed on the way, and reported.
 */
public final class RepositoryLock {
    static final String PREFIX = RepositoryLayout.LOCKS;
    private static final Duration REFRESH_EVERY = Duration.ofMinutes(1);

    private final Storage storage;
    private final Clock clock;
    private final Actor self;
    private final Consumer<LockInfo> onStaleBroken;
    private final RepositoryNotices notices;

    RepositoryLock(Storage storage, Clock clock, Actor self) {
        this(storage, clock, self, stale -> { }, new RepositoryNotices());
    }

    /**
     * @param onStaleBroken told of each stale lock removed, after its removal (the audit trail records it)
     * @param notices       where a lock that the storage refuses (a read-only repository) is reported
     */
    RepositoryLock(Storage storage, Clock clock, Actor self, Consumer<LockInfo> onStaleBroken, RepositoryNotices notices) {
        this.storage = storage;
        this.clock = clock;
        this.self = self;
        this.onStaleBroken = onStaleBroken;
        this.notices = notices;
    }

    /** A held lock; closing it releases the lock. */
    public final class Held implements AutoCloseable {
        /** null when a reading command goes on without a lock on a repository that refuses writes */
        private final LockInfo info;
        private final ScheduledExecutorService refresher;
        private final List<LockInfo> brokenStale;

        private Held(LockInfo info, List<LockInfo> brokenStale) {
            this.info = info;
            this.brokenStale = brokenStale;
            if (info == null) {
                this.refresher = null;
                return;
            }
            this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cellar-lock-refresh");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleAtFixedRate(this::refresh, REFRESH_EVERY.toSeconds(), REFRESH_EVERY.toSeconds(), TimeUnit.SECONDS);
        }

        /** Stale locks of dead holders that were removed while acquiring this one. */
        public List<LockInfo> brokenStale() {
            return brokenStale;
        }

        /** False when the command reads without a lock (the repository refuses writes). */
        public boolean locked() {
            return info != null;
        }

        private void refresh() {
            try {
                storage.put(keyOf(info.token()), RepositoryJson.write(new LockInfo(info.token(), info.mode(),
                        info.operation(), info.holder(), info.startedAt(), clock.instant())));
            } catch (RuntimeException ignored) {
                // a missed refresh only matters after STALE_AFTER; the next one may succeed
            }
        }

        @Override
        public void close() {
            if (info == null) {
                return;
            }
            refresher.shutdownNow();
            try {
                // a refresh still running could otherwise re-create the file after the delete
                refresher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            storage.delete(keyOf(info.token()));
        }
    }

    public Held acquireShared(String operation, Duration wait) {
        return acquire(LockInfo.SHARED, operation, wait);
    }

    public Held acquireExclusive(String operation, Duration wait) {
        return acquire(LockInfo.EXCLUSIVE, operation, wait);
    }

    /**
     * The shared lock of a command that only reads (a restore, a restore test). A repository that
     * refuses writes (a read-only mount or snapshot, read-only credentials, {@code --read-only})
     * cannot hold a lock file, so the command reads it without one, and the notices say so once.
     * Without the lock a gc running elsewhere could delete chunks under the reader; the read then
     * fails on a missing chunk, it never returns wrong data, since every chunk is authenticated.
     */
    public Held acquireForReading(String operation, Duration wait) {
        if (notices.readOnly()) {
            return new Held(null, List.of());
        }
        try {
            return acquireShared(operation, wait);
        } catch (WriteRefusedException refused) {
            notices.readWithoutLock(storage.describe(), refused);
            return new Held(null, List.of());
        }
    }

    /** Every lock file present, stale or not. */
    public List<LockInfo> list() {
        List<LockInfo> locks = new ArrayList<>();
        for (String key : storage.list(PREFIX)) {
            try {
                locks.add(RepositoryJson.read(storage.get(key), LockInfo.class));
            } catch (NoSuchObjectException e) {
                // released while we listed
            } catch (IOException e) {
                // an unreadable lock file is treated as a live unknown holder
                Instant now = clock.instant();
                locks.add(new LockInfo(key.substring(PREFIX.length()), LockInfo.EXCLUSIVE, "unknown (unreadable lock file)",
                        new Actor("unknown", "unknown", -1), now, now));
            }
        }
        return locks;
    }

    /** Removes locks whose holder is dead; returns what was removed. */
    public List<LockInfo> breakStale() {
        List<LockInfo> broken = new ArrayList<>();
        Instant now = clock.instant();
        for (LockInfo lock : list()) {
            if (lock.holder().pid() >= 0 && lock.isStale(self, now)) {
                storage.delete(keyOf(lock.token()));
                broken.add(lock);
                onStaleBroken.accept(lock);
            }
        }
        return broken;
    }

    /** Removes every lock, live or not: only for an operator who knows no Cellar process runs. */
    public List<LockInfo> breakAll() {
        List<LockInfo> all = list();
        all.forEach(lock -> storage.delete(keyOf(lock.token())));
        return all;
    }

    private Held acquire(String mode, String operation, Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        List<LockInfo> brokenStale = new ArrayList<>();
        while (true) {
            brokenStale.addAll(breakStale());
            Instant now = clock.instant();
            LockInfo mine = new LockInfo(UUID.randomUUID().toString(), mode, operation, self, now, now);
            try {
                storage.put(keyOf(mine.token()), RepositoryJson.write(mine));
            } catch (WriteRefusedException refused) {
                // with several copies, those that took the write must not keep a lock no one holds
                deleteQuietly(keyOf(mine.token()));
                throw refused;
            }
            List<LockInfo> conflicts = list().stream()
                    .filter(other -> !other.token().equals(mine.token()))
                    .filter(other -> mode.equals(LockInfo.EXCLUSIVE) || other.mode().equals(LockInfo.EXCLUSIVE))
                    .toList();
            if (conflicts.isEmpty()) {
                return new Held(mine, List.copyOf(brokenStale));
            }
            storage.delete(keyOf(mine.token()));
            if (!clock.instant().isBefore(deadline)) {
                LockInfo holder = conflicts.get(0);
                throw new CellarException(ErrorCode.LOCKED,
                        "repository " + storage.describe() + " is locked (" + holder.mode() + ") by '" + holder.operation()
                                + "' of " + holder.holder() + " since " + holder.startedAt(),
                        "wait for it to finish (or pass --lock-wait); if that process is gone for good, run 'cellar unlock'");
            }
            sleep(Duration.ofMillis(500 + (long) (Math.random() * 500)));
        }
    }

    private void deleteQuietly(String key) {
        try {
            storage.delete(key);
        } catch (RuntimeException ignored) {
            // the copy that refused the write refuses the delete too; a lock left elsewhere turns stale
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while waiting for the repository lock");
        }
    }

    private static String keyOf(String token) {
        return PREFIX + token + ".lock";
    }
}
