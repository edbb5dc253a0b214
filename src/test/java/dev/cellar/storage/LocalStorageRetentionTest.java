package dev.cellar.storage;

import dev.cellar.error.ErrorCode;
import dev.cellar.repo.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local driver enforces WORM retention itself, on its own clock. */
class LocalStorageRetentionTest {
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final Retention TEN_DAYS = new Retention(Retention.Mode.COMPLIANCE, NOW.plus(Duration.ofDays(10)));
    private static final byte[] DATA = "sealed chunk".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path folder;

    private MutableClock clock;
    private LocalStorage storage;

    @BeforeEach
    void storageOnAFakeClock() {
        clock = new MutableClock(NOW);
        storage = new LocalStorage(folder, clock);
    }

    @Test
    void deleteIsRefusedBeforeTheDateAndAllowedAfterIt() {
        assertThat(storage.supportsRetention()).isTrue();
        assertThat(storage.putIfAbsentRetained("chunks/ab/ab01", DATA, TEN_DAYS)).isTrue();

        assertThatThrownBy(() -> storage.delete("chunks/ab/ab01"))
                .isInstanceOfSatisfying(ObjectLockedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OBJECT_LOCKED);
                    assertThat(e.key()).isEqualTo("chunks/ab/ab01");
                    assertThat(e.retention()).isEqualTo(TEN_DAYS);
                    assertThat(e.getMessage()).contains("compliance").contains(TEN_DAYS.retainUntil().toString());
                });
        assertThat(storage.get("chunks/ab/ab01")).isEqualTo(DATA);

        clock.advance(Duration.ofDays(10).minusSeconds(1));
        assertThatThrownBy(() -> storage.delete("chunks/ab/ab01")).isInstanceOf(ObjectLockedException.class);

        clock.advance(Duration.ofSeconds(1));
        storage.delete("chunks/ab/ab01");
        assertThat(storage.exists("chunks/ab/ab01")).isFalse();
        assertThat(storage.retention("chunks/ab/ab01")).as("the record goes with the object").isEmpty();
    }

    @Test
    void overwriteOfALockedObjectIsRefusedAndTheContentStays() {
        storage.putIfAbsentRetained("backups/b1", DATA, TEN_DAYS);

        assertThatThrownBy(() -> storage.put("backups/b1", "other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ObjectLockedException.class);
        assertThat(storage.putIfAbsent("backups/b1", new byte[1])).isFalse();
        assertThat(storage.putIfAbsentRetained("backups/b1", new byte[1], TEN_DAYS)).isFalse();
        assertThat(storage.get("backups/b1")).isEqualTo(DATA);

        clock.advance(Duration.ofDays(11));
        storage.put("backups/b1", "other".getBytes(StandardCharsets.UTF_8));
        assertThat(storage.get("backups/b1")).asString(StandardCharsets.UTF_8).isEqualTo("other");
    }

    @Test
    void extendNeverShortensAndAnExistingObjectGetsTheLongerOfTheTwo() {
        storage.putIfAbsentRetained("chunks/cd/cd01", DATA, TEN_DAYS);
        Retention fiveDays = new Retention(Retention.Mode.COMPLIANCE, NOW.plus(Duration.ofDays(5)));
        Retention twentyDays = new Retention(Retention.Mode.GOVERNANCE, NOW.plus(Duration.ofDays(20)));

        storage.extendRetention("chunks/cd/cd01", fiveDays);
        assertThat(storage.retention("chunks/cd/cd01")).contains(TEN_DAYS);

        storage.putIfAbsentRetained("chunks/cd/cd01", DATA, twentyDays);
        assertThat(storage.retention("chunks/cd/cd01")).as("later date, and compliance is never weakened to governance")
                .contains(new Retention(Retention.Mode.COMPLIANCE, twentyDays.retainUntil()));

        clock.advance(Duration.ofDays(15));
        assertThatThrownBy(() -> storage.delete("chunks/cd/cd01")).isInstanceOf(ObjectLockedException.class);
    }

    @Test
    void extendingAnUnlockedObjectLocksIt() {
        storage.putIfAbsent("wal/00000001/000000010000000000000003", DATA);
        assertThat(storage.retention("wal/00000001/000000010000000000000003")).isEmpty();

        storage.extendRetention("wal/00000001/000000010000000000000003", TEN_DAYS);

        assertThatThrownBy(() -> storage.delete("wal/00000001/000000010000000000000003")).isInstanceOf(ObjectLockedException.class);
        assertThatThrownBy(() -> storage.extendRetention("wal/00000001/missing", TEN_DAYS)).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void complianceCannotBeLiftedButGovernanceCanByAPrivilegedDelete() {
        storage.putIfAbsentRetained("backups/compliance", DATA, TEN_DAYS);
        storage.putIfAbsentRetained("backups/governance", DATA, new Retention(Retention.Mode.GOVERNANCE, TEN_DAYS.retainUntil()));

        assertThatThrownBy(() -> storage.delete("backups/governance")).isInstanceOf(ObjectLockedException.class);
        storage.deleteBypassingGovernance("backups/governance");
        assertThat(storage.exists("backups/governance")).isFalse();

        assertThatThrownBy(() -> storage.deleteBypassingGovernance("backups/compliance")).isInstanceOf(ObjectLockedException.class);
        storage.extendRetention("backups/compliance", new Retention(Retention.Mode.GOVERNANCE, NOW.plusSeconds(1)));
        assertThat(storage.retention("backups/compliance")).contains(TEN_DAYS);
        assertThat(storage.exists("backups/compliance")).isTrue();
    }

    @Test
    void lockedFilesAreReadOnlyAndTheRetentionTreeIsNotListed() throws Exception {
        storage.putIfAbsentRetained("chunks/ef/ef01", DATA, TEN_DAYS);
        storage.putIfAbsent("audit/000000000001.json", DATA);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("chunks/ef/ef01")))).isEqualTo("r--r--r--");
        assertThat(Files.isRegularFile(folder.resolve(LocalStorage.RETENTION + "chunks/ef/ef01"))).isTrue();
        assertThat(storage.list("")).containsExactly("audit/000000000001.json", "chunks/ef/ef01");
        assertThat(storage.list("chunks/")).containsExactly("chunks/ef/ef01");
    }

    @Test
    void retentionIsReadByAnotherInstanceOfTheSameFolder() {
        storage.putIfAbsentRetained("backups/b2", DATA, TEN_DAYS);

        LocalStorage reopened = new LocalStorage(folder, clock);

        assertThat(reopened.retention("backups/b2")).contains(TEN_DAYS);
        assertThatThrownBy(() -> reopened.delete("backups/b2")).isInstanceOf(ObjectLockedException.class);
    }
}
