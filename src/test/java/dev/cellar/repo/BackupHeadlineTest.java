package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a stored summary may stand in for its manifest in a listing, and what it says of a manifest. */
class BackupHeadlineTest {
    private static final Instant T = Instant.parse("2026-11-02T02:00:00Z");
    private static final String TAG = "00112233445566778899aabbccddeeff";

    private final BackupManifest physical = new BackupManifest("20261102T020000.000Z-abc123", BackupManifest.KIND_PHYSICAL, T,
            T.plusSeconds(90), null, "15.0", "cellar", "localhost:5432 /srv/pg", "postgres@db1",
            List.of(new BackupManifest.StreamEntry("extra", "raw", 100, List.of(new ChunkRef("ab".repeat(32), 100)))), List.of(), 42, 7,
            new PhysicalInfo("incremental", "20261101T020000.000Z-000001", -1L, 3, "0/2000028", "0/2000100", "000000030000000000000002",
                    "000000030000000000000002", 16 << 20, 150000, true, "START WAL LOCATION: 0/2000028", "", List.of(), List.of(),
                    List.of(new PhysicalInfo.FileEntry("base/1/1259", 8192, 0, 0600, "00000000", List.of())), List.of()));

    @Test
    void aSummaryWrittenForThisVeryManifestStandsForIt() {
        BackupHeadline summary = BackupHeadline.of(physical, TAG);

        assertThat(BackupHeadline.standsFor(summary, physical.id(), TAG)).isTrue();
    }

    @Test
    void aSummaryWrittenForAnotherVersionOfTheManifestIsIgnored() {
        BackupHeadline summary = BackupHeadline.of(physical, TAG);

        assertThat(BackupHeadline.standsFor(summary, physical.id(), "ff".repeat(16))).isFalse();
    }

    @Test
    void aSummaryOfAnotherBackupIsIgnored() {
        BackupHeadline summary = BackupHeadline.of(physical, TAG);

        assertThat(BackupHeadline.standsFor(summary, "20261102T030000.000Z-def456", TAG)).isFalse();
    }

    @Test
    void aSummaryOfAnUnknownFormatIsIgnored() {
        BackupHeadline current = BackupHeadline.of(physical, TAG);
        BackupHeadline newer = new BackupHeadline(BackupHeadline.FORMAT + 1, current.id(), TAG, current.kind(), current.physicalType(),
                current.database(), current.systemIdentifier(), current.startedAt(), current.finishedAt(), current.totalBytes(),
                current.storedBytes(), current.tables(), current.rows(), current.serverVersion(), current.timeline(), current.startLsn(),
                current.stopLsn(), current.run());

        assertThat(BackupHeadline.standsFor(newer, physical.id(), TAG)).isFalse();
        assertThat(BackupHeadline.standsFor(null, physical.id(), TAG)).isFalse();
    }

    @Test
    void itSaysWhatTheListingShowsOfAPhysicalBackup() {
        BackupHeadline summary = BackupHeadline.of(physical, TAG);

        assertThat(summary.physicalType()).isEqualTo("incremental");
        assertThat(summary.systemIdentifier()).isEqualTo(-1L);
        assertThat(summary.timeline()).isEqualTo(3);
        assertThat(summary.totalBytes()).isEqualTo(physical.totalBytes()).isEqualTo(100 + 8192);
        assertThat(summary.storedBytes()).isEqualTo(42);
        assertThat(summary.finishedAt()).isEqualTo(T.plusSeconds(90));
        assertThat(summary.agreesWith(physical)).isTrue();
    }

    @Test
    void aSummaryThatSaysOtherwiseDisagreesWithItsManifest() {
        BackupHeadline current = BackupHeadline.of(physical, TAG);
        BackupHeadline wrong = new BackupHeadline(current.format(), current.id(), TAG, current.kind(), current.physicalType(),
                current.database(), current.systemIdentifier(), current.startedAt(), current.finishedAt(), current.totalBytes() + 1,
                current.storedBytes(), current.tables(), current.rows(), current.serverVersion(), current.timeline(), current.startLsn(),
                current.stopLsn(), current.run());

        assertThat(wrong.agreesWith(physical)).isFalse();
    }
}
