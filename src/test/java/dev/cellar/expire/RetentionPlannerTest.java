package dev.cellar.expire;

import dev.cellar.config.RetentionConfig;
import dev.cellar.repo.BackupManifest;
import dev.cellar.wal.WalFileName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");
    private static final int SEG = 16 * 1024 * 1024;
    private static final RetentionConfig DEFAULTS = new RetentionConfig(30, 7);

    @Test
    void emptyRepositoryPlansNothingAndWarnsAboutNothing() {
        RetentionPlan plan = plan(DEFAULTS, List.of(), List.of());

        assertThat(plan.keep()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.walToDelete()).isEmpty();
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.anchorId()).isNull();
        assertThat(plan.deletesNothing()).isTrue();
    }

    @Test
    void nothingExpiresWhileEveryBackupIsYoungerThanFullDays() {
        List<BackupSummary> backups = List.of(physical("p10", 10, 1, 10, 11), logical("l5", "cafe", 5), physical("p1", 1, 1, 30, 30));
        List<WalFileName> wal = segments(1, 10, 35);

        RetentionPlan plan = plan(DEFAULTS, backups, wal);

        assertThat(ids(plan.keep())).containsExactly("p10", "l5", "p1");
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.walToDelete()).isEmpty();
        assertThat(plan.anchorId()).isEqualTo("p10");
        assertThat(plan.walKept()).containsExactly(new RetentionPlan.WalRange(1, name(1, 10), name(1, 35), 26));
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void oldLogicalBackupsExpireButTheNewestIsKeptWhateverItsAge() {
        List<BackupSummary> backups = List.of(logical("l100", "cafe", 100), logical("l60", "cafe", 60), logical("l45", "cafe", 45));

        RetentionPlan plan = plan(DEFAULTS, backups, List.of());

        assertThat(ids(plan.delete())).containsExactly("l100", "l60");
        assertThat(ids(plan.keep())).containsExactly("l45");
        assertThat(plan.keep().get(0).reason()).contains("newest logical backup of database cafe");
        assertThat(plan.delete().get(0).reason()).contains("100 days ago").contains("full-days 30");
    }

    @Test
    void newestLogicalBackupOfEachDatabaseIsKept() {
        List<BackupSummary> backups = List.of(logical("b60", "billing", 60), logical("c50", "cafe", 50), logical("c40", "cafe", 40));

        RetentionPlan plan = plan(DEFAULTS, backups, List.of());

        assertThat(ids(plan.keep())).containsExactly("b60", "c40");
        assertThat(ids(plan.delete())).containsExactly("c50");
    }

    @Test
    void newestPhysicalBackupIsKeptEvenWhenItIsTheOnlyOneAndVeryOld() {
        RetentionPlan plan = plan(DEFAULTS, List.of(physical("p100", 100, 1, 4, 5)), segments(1, 1, 9));

        assertThat(ids(plan.keep())).containsExactly("p100");
        assertThat(plan.keep().get(0).reason()).contains("newest physical backup").contains("PITR anchor");
        assertThat(plan.walToDelete()).containsExactly(name(1, 1), name(1, 2), name(1, 3));
    }

    @Test
    void anchorOlderThanFullDaysIsKeptAndItsWalFromStartOn() {
        RetentionConfig shortFullLongWindow = new RetentionConfig(5, 14);
        List<BackupSummary> backups = List.of(physical("p20", 20, 1, 2, 3), physical("p16", 16, 1, 10, 11),
                physical("p10", 10, 1, 20, 21), physical("p2", 2, 1, 40, 41));

        RetentionPlan plan = plan(shortFullLongWindow, backups, segments(1, 1, 45));

        assertThat(plan.anchorId()).isEqualTo("p16");
        assertThat(ids(plan.keep())).containsExactly("p16", "p2");
        assertThat(decision(plan.keep(), "p16").reason()).contains("PITR anchor").doesNotContain("within full-days");
        assertThat(ids(plan.delete())).containsExactly("p20", "p10");
        assertThat(plan.walKeepFrom()).isEqualTo(name(1, 10));
        assertThat(plan.walToDelete()).containsExactlyElementsOf(names(segments(1, 1, 9)));
        assertThat(plan.walKept()).containsExactly(new RetentionPlan.WalRange(1, name(1, 10), name(1, 45), 36));
        assertThat(plan.recoverableFrom()).isEqualTo(NOW.minus(Duration.ofDays(16)));
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void windowIsShorterThanConfiguredWhenNoPhysicalBackupIsOldEnoughAndThePlanSaysSo() {
        List<BackupSummary> backups = List.of(physical("p3", 3, 1, 5, 6), physical("p1", 1, 1, 9, 9));

        RetentionPlan plan = plan(DEFAULTS, backups, segments(1, 1, 12));

        assertThat(plan.anchorId()).isEqualTo("p3");
        assertThat(decision(plan.keep(), "p3").reason()).contains("PITR anchor: oldest physical backup");
        assertThat(plan.warnings()).singleElement().asString().contains("reaches back only to").contains("7 days");
        assertThat(plan.walToDelete()).containsExactly(name(1, 1), name(1, 2), name(1, 3), name(1, 4));
    }

    @Test
    void walBelowTheFirstSegmentAKeptBackupNeedsIsDeletedWithItsBackupHistoryAndPartialFiles() {
        List<BackupSummary> backups = List.of(physical("p40", 40, 1, 2, 3), physical("p20", 20, 1, 20, 21), physical("p1", 1, 1, 50, 51));
        List<WalFileName> wal = new ArrayList<>(segments(1, 1, 55));
        wal.add(WalFileName.parse(name(1, 2) + ".00000028.backup"));
        wal.add(WalFileName.parse(name(1, 20) + ".00000060.backup"));
        wal.add(WalFileName.parse(name(1, 19) + ".partial"));
        Collections.sort(wal);
        Map<String, Long> walSizes = Map.of(name(1, 1), 1000L, name(1, 5), 500L);

        RetentionPlan plan = new RetentionPlanner(DEFAULTS).plan(backups, wal, NOW, sizes(Map.of(), walSizes));

        assertThat(ids(plan.delete())).containsExactly("p40");
        assertThat(plan.anchorId()).isEqualTo("p20");
        assertThat(plan.walKeepFrom()).isEqualTo(name(1, 20));
        assertThat(plan.walToDelete()).hasSize(19 + 2)
                .contains(name(1, 2) + ".00000028.backup", name(1, 19) + ".partial")
                .doesNotContain(name(1, 20), name(1, 20) + ".00000060.backup");
        assertThat(plan.walDeleted()).containsExactly(new RetentionPlan.WalRange(1, name(1, 1), name(1, 19) + ".partial", 21));
        assertThat(plan.walKept()).containsExactly(new RetentionPlan.WalRange(1, name(1, 20), name(1, 55), 37));
        assertThat(plan.bytesToFree()).isEqualTo(1500);
    }

    @Test
    void walIsDeletedOldestFirstSoAnInterruptedRunLeavesNoHole() {
        // the old primary wrote up to segment 28 on timeline 1 after timeline 2 branched off in 25,
        // so by name timeline 1's 26..28 come before timeline 2's 25
        List<BackupSummary> backups = List.of(physical("p1", 1, 2, 30, 30));
        List<WalFileName> wal = new ArrayList<>(segments(1, 1, 28));
        wal.addAll(segments(2, 25, 32));
        Collections.sort(wal);

        RetentionPlan plan = plan(DEFAULTS, backups, wal);

        List<Long> order = plan.walToDelete().stream().map(n -> WalFileName.parse(n).segmentNumber(SEG)).toList();
        assertThat(order).hasSize(28 + 5).isSorted().first().isEqualTo(1L);
    }

    @Test
    void noPhysicalBackupMeansNoWalIsDeletedAndThePlanSaysWhy() {
        List<BackupSummary> backups = List.of(logical("l90", "cafe", 90), logical("l1", "cafe", 1));

        RetentionPlan plan = plan(DEFAULTS, backups, segments(1, 1, 10));

        assertThat(ids(plan.delete())).containsExactly("l90");
        assertThat(plan.walToDelete()).isEmpty();
        assertThat(plan.walKeepFrom()).isNull();
        assertThat(plan.anchorId()).isNull();
        assertThat(plan.warnings()).singleElement().asString().contains("no physical backup").contains("no WAL is deleted");
    }

    @Test
    void logicalOnlyRepositoryWithoutWalHasNoWalWarnings() {
        RetentionPlan plan = plan(DEFAULTS, List.of(logical("l90", "cafe", 90), logical("l1", "cafe", 1)), List.of());

        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.recoverableFrom()).isNull();
        assertThat(plan.walKept()).isEmpty();
    }

    @Test
    void acrossTwoTimelinesSegmentsBelowTheCutGoOnBothAndHistoryFilesStay() {
        // timeline 2 branched off timeline 1 in segment 25; the only kept backup runs on timeline 2
        List<BackupSummary> backups = List.of(physical("p40", 40, 1, 5, 6), physical("p10", 10, 2, 30, 31));
        List<WalFileName> wal = new ArrayList<>(segments(1, 1, 25));
        wal.add(WalFileName.parse(name(1, 25) + ".partial"));
        wal.addAll(segments(2, 25, 40));
        wal.add(WalFileName.parse("00000002.history"));
        Collections.sort(wal);

        RetentionPlan plan = plan(DEFAULTS, backups, wal);

        assertThat(ids(plan.delete())).containsExactly("p40");
        assertThat(plan.walKeepFrom()).isEqualTo(name(2, 30));
        assertThat(plan.walDeleted()).containsExactly(
                new RetentionPlan.WalRange(1, name(1, 1), name(1, 25) + ".partial", 26),
                new RetentionPlan.WalRange(2, name(2, 25), name(2, 29), 5));
        assertThat(plan.walKept()).containsExactly(new RetentionPlan.WalRange(2, name(2, 30), name(2, 40), 11));
        assertThat(plan.historyKept()).containsExactly("00000002.history");
        assertThat(plan.walToDelete()).doesNotContain("00000002.history");
    }

    @Test
    void aKeptBackupOnTheOldTimelineKeepsBothTimelinesFromItsStart() {
        List<BackupSummary> backups = List.of(physical("p20", 20, 1, 5, 6), physical("p2", 2, 2, 30, 31));
        List<WalFileName> wal = new ArrayList<>(segments(1, 1, 25));
        wal.addAll(segments(2, 25, 35));
        wal.add(WalFileName.parse("00000002.history"));
        Collections.sort(wal);

        RetentionPlan plan = plan(DEFAULTS, backups, wal);

        assertThat(plan.delete()).isEmpty();
        assertThat(plan.walToDelete()).containsExactly(name(1, 1), name(1, 2), name(1, 3), name(1, 4));
        assertThat(plan.walKept()).containsExactly(new RetentionPlan.WalRange(1, name(1, 5), name(1, 25), 21),
                new RetentionPlan.WalRange(2, name(2, 25), name(2, 35), 11));
    }

    @Test
    void historyFilesAreKeptEvenWhenEverySegmentGoes() {
        List<BackupSummary> backups = List.of(physical("p1", 1, 3, 100, 100));
        List<WalFileName> wal = new ArrayList<>(segments(1, 1, 5));
        wal.add(WalFileName.parse("00000002.history"));
        wal.add(WalFileName.parse("00000003.history"));
        wal.addAll(segments(3, 100, 100));
        Collections.sort(wal);

        RetentionPlan plan = plan(DEFAULTS, backups, wal);

        assertThat(plan.walToDelete()).containsExactlyElementsOf(names(segments(1, 1, 5)));
        assertThat(plan.historyKept()).containsExactly("00000002.history", "00000003.history");
    }

    @Test
    void incrementalDoesNotPinItsParentWhichExpires() {
        List<BackupSummary> backups = List.of(physical("full40", 40, 1, 2, 3),
                incremental("incr20", 20, "full40", 1, 20, 21), incremental("incr1", 1, "incr20", 1, 50, 50));

        RetentionPlan plan = plan(DEFAULTS, backups, segments(1, 1, 52));

        assertThat(ids(plan.delete())).containsExactly("full40");
        assertThat(plan.delete().get(0).reason()).contains("kept incremental incr20 does not need it");
        assertThat(ids(plan.keep())).containsExactly("incr20", "incr1");
        assertThat(plan.keep().get(0).type()).isEqualTo("incr");
        assertThat(plan.walKeepFrom()).isEqualTo(name(1, 20));
    }

    @Test
    void estimateCountsOnlyChunksNoKeptBackupShares() {
        List<BackupSummary> backups = List.of(logical("l90", "cafe", 90, "a", "b", "s"), logical("l80", "cafe", 80, "c", "s"),
                logical("l1", "cafe", 1, "s", "d"));
        Map<String, Long> chunkSizes = Map.of("a", 100L, "b", 20L, "c", 3L, "s", 5000L, "d", 7000L);

        RetentionPlan plan = new RetentionPlanner(DEFAULTS).plan(backups, List.of(), NOW, sizes(chunkSizes, Map.of()));

        assertThat(ids(plan.delete())).containsExactly("l90", "l80");
        assertThat(plan.chunksToFree()).isEqualTo(3);
        assertThat(plan.bytesToFree()).isEqualTo(123);
    }

    @Test
    void backupExactlyFullDaysOldExpiresAndOneExactlyAtTheWindowStartAnchors() {
        List<BackupSummary> backups = List.of(logical("l30", "cafe", 30), logical("l29", "cafe", 29),
                physical("p8", 8, 1, 1, 1), physical("p7", 7, 1, 3, 3), physical("p0", 0, 1, 9, 9));

        RetentionPlan plan = plan(DEFAULTS, backups, segments(1, 1, 9));

        assertThat(ids(plan.delete())).containsExactly("l30");
        assertThat(plan.anchorId()).isEqualTo("p7");
        assertThat(ids(plan.keep())).contains("p8", "p7", "p0");
        assertThat(plan.walKeepFrom()).isEqualTo(name(1, 1));
    }

    @Test
    void keptBackupMissingPartOfItsWalIsReported() {
        List<BackupSummary> backups = List.of(physical("p2", 2, 1, 10, 13));
        List<WalFileName> wal = List.of(WalFileName.segment(1, 10, SEG), WalFileName.segment(1, 13, SEG));

        RetentionPlan plan = plan(DEFAULTS, backups, wal);

        assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("p2 lacks 2 of the WAL files")
                .contains(name(1, 11) + " .. " + name(1, 12)));
    }

    @Test
    void differentSegmentSizesMeanNoWalIsDeleted() {
        BackupSummary other = new BackupSummary("p1", BackupManifest.KIND_PHYSICAL, "db", NOW.minus(Duration.ofDays(1)),
                new BackupSummary.WalNeeds("full", null, 1, name(1, 9), name(1, 9), 64 * 1024 * 1024), Set.of());
        List<BackupSummary> backups = List.of(physical("p3", 3, 1, 5, 5), other);

        RetentionPlan plan = plan(DEFAULTS, backups, segments(1, 1, 9));

        assertThat(plan.walToDelete()).isEmpty();
        assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("different WAL segment sizes"));
    }

    @Test
    void theSameRepositoryStateGivesTheSamePlanWhateverTheListingOrder() {
        List<BackupSummary> backups = new ArrayList<>(List.of(physical("p40", 40, 1, 2, 3), logical("l50", "cafe", 50),
                logical("l45", "cafe", 45), physical("p20", 20, 1, 20, 21), physical("p1", 1, 1, 50, 51)));
        List<WalFileName> wal = new ArrayList<>(segments(1, 1, 55));
        RetentionPlan first = plan(DEFAULTS, backups, wal);

        Collections.reverse(backups);
        Collections.reverse(wal);
        RetentionPlan second = plan(DEFAULTS, backups, wal);

        assertThat(second).isEqualTo(first);
    }

    // ---- helpers

    private static RetentionPlan plan(RetentionConfig retention, List<BackupSummary> backups, List<WalFileName> wal) {
        return new RetentionPlanner(retention).plan(backups, wal, NOW, StoredSizes.NONE);
    }

    private static BackupSummary logical(String id, String database, int daysAgo, String... chunks) {
        return new BackupSummary(id, BackupManifest.KIND_LOGICAL, database, NOW.minus(Duration.ofDays(daysAgo)), null, Set.of(chunks));
    }

    private static BackupSummary physical(String id, int daysAgo, int timeline, long startSegment, long stopSegment) {
        return new BackupSummary(id, BackupManifest.KIND_PHYSICAL, "db1", NOW.minus(Duration.ofDays(daysAgo)),
                new BackupSummary.WalNeeds("full", null, timeline, name(timeline, startSegment), name(timeline, stopSegment), SEG), Set.of());
    }

    private static BackupSummary incremental(String id, int daysAgo, String parent, int timeline, long startSegment, long stopSegment) {
        return new BackupSummary(id, BackupManifest.KIND_PHYSICAL, "db1", NOW.minus(Duration.ofDays(daysAgo)),
                new BackupSummary.WalNeeds("incr", parent, timeline, name(timeline, startSegment), name(timeline, stopSegment), SEG), Set.of());
    }

    private static List<WalFileName> segments(int timeline, long from, long to) {
        List<WalFileName> files = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            files.add(WalFileName.segment(timeline, s, SEG));
        }
        return files;
    }

    private static String name(int timeline, long segment) {
        return WalFileName.segment(timeline, segment, SEG).name();
    }

    private static List<String> names(List<WalFileName> files) {
        return files.stream().map(WalFileName::name).toList();
    }

    private static List<String> ids(List<RetentionPlan.BackupDecision> decisions) {
        return decisions.stream().map(RetentionPlan.BackupDecision::id).toList();
    }

    private static RetentionPlan.BackupDecision decision(List<RetentionPlan.BackupDecision> decisions, String id) {
        return decisions.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }

    private static StoredSizes sizes(Map<String, Long> chunks, Map<String, Long> wal) {
        return new StoredSizes() {
            @Override
            public long chunk(String chunkId) {
                return chunks.getOrDefault(chunkId, 0L);
            }

            @Override
            public long wal(WalFileName file) {
                return wal.getOrDefault(file.name(), 0L);
            }
        };
    }
}
