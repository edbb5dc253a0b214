package dev.cellar.lifecycle.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.BackupManifest;
import dev.cellar.storage.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which backups still hold an erased subject, and the date each ages out. */
class BeyondUseTest {
    private static final Instant ERASED = Instant.parse("2026-11-15T12:00:00Z");

    private static BackupManifest backup(String id, String kind, String database, Instant started, Retention lock) {
        return new BackupManifest(id, kind, started, started.plusSeconds(600), database, "15.8", "cellar", "local", "test", List.of(),
                List.of(), 0, 0, null, lock);
    }

    @Test
    void backupsTakenBeforeTheErasureHoldItUntilRetentionOrTheirLockEnds() {
        Instant day1 = Instant.parse("2026-11-01T02:00:00Z");
        Instant day10 = Instant.parse("2026-11-10T02:00:00Z");
        Instant day20 = Instant.parse("2026-11-20T02:00:00Z");
        Retention longLock = new Retention(Retention.Mode.COMPLIANCE, Instant.parse("2027-06-01T00:00:00Z"));
        List<BackupManifest> backups = List.of(
                backup("a", BackupManifest.KIND_LOGICAL, "shop", day1, null),
                backup("b", BackupManifest.KIND_LOGICAL, "shop", day10, longLock),
                backup("other-db", BackupManifest.KIND_LOGICAL, "crm", day1, null),
                backup("c", BackupManifest.KIND_LOGICAL, "shop", day20, null));

        List<BeyondUse.HoldingBackup> holding = BeyondUse.holding(backups, "shop", ERASED, 30);

        assertThat(holding).extracting(BeyondUse.HoldingBackup::id).containsExactly("a", "b");
        assertThat(holding.get(0).agesOutAt()).isEqualTo(day1.plusSeconds(600).plus(Duration.ofDays(30)));
        assertThat(holding.get(1).agesOutAt()).isEqualTo(longLock.retainUntil());
        assertThat(holding.get(1).why()).isEqualTo("WORM lock ends");
    }

    @Test
    void theNewestBackupHasNoDateAndPhysicalBackupsCountForEveryDatabase() {
        Instant day1 = Instant.parse("2026-11-01T02:00:00Z");
        List<BackupManifest> backups = List.of(backup("p", BackupManifest.KIND_PHYSICAL, null, day1, null));

        List<BeyondUse.HoldingBackup> holding = BeyondUse.holding(backups, "shop", ERASED, 30);

        assertThat(holding).singleElement().satisfies(h -> {
            assertThat(h.agesOutAt()).isNull();
            assertThat(h.why()).startsWith("the newest physical backup");
        });
    }

    @Test
    void beforeTheErasureIsAppliedEveryBackupHoldsTheData() {
        Instant day20 = Instant.parse("2026-11-20T02:00:00Z");

        assertThat(BeyondUse.holding(List.of(backup("c", BackupManifest.KIND_LOGICAL, "shop", day20, null)), "shop", null, 30)).hasSize(1);
    }
}
