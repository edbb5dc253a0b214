package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.LocalStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepositoryLockTest {
    private static final Instant START = Instant.parse("2024-03-01T02:00:00Z");

    @TempDir
    Path folder;

    private LocalStorage storage;
    private MutableClock clock;
    private Actor self;
    private RepositoryLock locks;

    @BeforeEach
    void setUp() {
        storage = new LocalStorage(folder);
        clock = new MutableClock(START);
        self = Actor.current();
        locks = new RepositoryLock(storage, clock, self);
    }

    @Test
    void sharedLocksCoexist() {
        try (RepositoryLock.Held first = locks.acquireShared("backup logical", Duration.ZERO);
             RepositoryLock.Held second = locks.acquireShared("backup logical", Duration.ZERO)) {
            assertThat(locks.list()).hasSize(2).allSatisfy(l -> assertThat(l.mode()).isEqualTo(LockInfo.SHARED));
        }
        assertThat(locks.list()).isEmpty();
    }

    @Test
    void exclusiveLockBlocksSharedNamingTheHolder() {
        try (RepositoryLock.Held gc = locks.acquireExclusive("gc", Duration.ZERO)) {
            assertThatThrownBy(() -> locks.acquireShared("backup logical", Duration.ZERO))
                    .isInstanceOf(CellarException.class)
                    .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.LOCKED))
                    .hasMessageContaining("exclusive")
                    .hasMessageContaining("'gc'")
                    .hasMessageContaining(self.toString());
            assertThat(locks.list()).as("the refused lock left no file").hasSize(1);
        }
    }

    @Test
    void sharedLockBlocksExclusiveNamingTheHolder() {
        try (RepositoryLock.Held backup = locks.acquireShared("backup logical", Duration.ZERO)) {
            assertThatThrownBy(() -> locks.acquireExclusive("gc", Duration.ZERO))
                    .isInstanceOf(CellarException.class)
                    .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.LOCKED))
                    .hasMessageContaining("'backup logical'")
                    .hasMessageContaining(self.toString());
        }
        try (RepositoryLock.Held gc = locks.acquireExclusive("gc", Duration.ZERO)) {
            assertThat(locks.list()).extracting(LockInfo::operation).containsExactly("gc");
        }
    }

    @Test
    void exclusiveLockBlocksAnotherExclusive() {
        try (RepositoryLock.Held gc = locks.acquireExclusive("gc", Duration.ZERO)) {
            assertThatThrownBy(() -> locks.acquireExclusive("gc", Duration.ZERO))
                    .isInstanceOf(CellarException.class)
                    .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.LOCKED));
        }
    }

    @Test
    void lockOfADeadProcessOnThisHostIsBrokenAndReported() throws Exception {
        long deadPid = deadPid();
        LockInfo orphan = new LockInfo("dead-backup", LockInfo.EXCLUSIVE, "backup logical",
                new Actor("postgres", self.host(), deadPid), START.minusSeconds(60), START.minusSeconds(60));
        storage.put(RepositoryLock.PREFIX + "dead-backup.lock", RepositoryJson.write(orphan));

        try (RepositoryLock.Held gc = locks.acquireExclusive("gc", Duration.ZERO)) {
            assertThat(gc.brokenStale()).containsExactly(orphan);
            assertThat(storage.exists(RepositoryLock.PREFIX + "dead-backup.lock")).isFalse();
        }
    }

    @Test
    void lockOfALiveProcessOnThisHostIsNeverStale() {
        LockInfo live = new LockInfo("live", LockInfo.EXCLUSIVE, "gc",
                new Actor("postgres", self.host(), ProcessHandle.current().pid()), START, START);

        assertThat(live.isStale(new Actor("other", self.host(), 1_000_000_000L), START.plus(Duration.ofDays(30)))).isFalse();
    }

    @Test
    void lockOfAnotherHostIsStaleOnlyAfterFifteenMinutesWithoutRefresh() {
        LockInfo remote = new LockInfo("remote", LockInfo.EXCLUSIVE, "gc",
                new Actor("postgres", "other-host.example", 4242), START, START);
        storage.put(RepositoryLock.PREFIX + "remote.lock", RepositoryJson.write(remote));

        clock.advance(Duration.ofMinutes(14));
        assertThatThrownBy(() -> locks.acquireShared("backup logical", Duration.ZERO))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.LOCKED))
                .hasMessageContaining("other-host.example");

        clock.advance(Duration.ofMinutes(1));
        assertThat(locks.breakStale()).as("exactly fifteen minutes is not yet stale").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        try (RepositoryLock.Held backup = locks.acquireShared("backup logical", Duration.ZERO)) {
            assertThat(backup.brokenStale()).containsExactly(remote);
        }
    }

    @Test
    void refreshedLockOfAnotherHostStaysLive() {
        Instant refreshed = START.plus(Duration.ofMinutes(10));
        LockInfo remote = new LockInfo("remote", LockInfo.SHARED, "backup logical",
                new Actor("postgres", "other-host.example", 4242), START, refreshed);
        storage.put(RepositoryLock.PREFIX + "remote.lock", RepositoryJson.write(remote));

        clock.advance(Duration.ofMinutes(20));

        assertThat(locks.breakStale()).isEmpty();
        assertThatThrownBy(() -> locks.acquireExclusive("gc", Duration.ZERO))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.LOCKED));
    }

    @Test
    void breakAllRemovesLiveLocksToo() {
        RepositoryLock.Held held = locks.acquireShared("backup logical", Duration.ZERO);
        try {
            assertThat(locks.breakAll()).hasSize(1);
            assertThat(locks.list()).isEmpty();
        } finally {
            held.close();
        }
    }

    @Test
    void unreadableLockFileCountsAsALiveExclusiveHolder() {
        storage.put(RepositoryLock.PREFIX + "garbled.lock", "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(locks.breakStale()).isEmpty();
        assertThatThrownBy(() -> locks.acquireShared("backup logical", Duration.ZERO))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.LOCKED))
                .hasMessageContaining("unreadable lock file");
    }

    /** The pid of a process that has exited and been reaped. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long pid = process.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        return pid;
    }
}
