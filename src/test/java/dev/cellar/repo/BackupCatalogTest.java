package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which backup "latest" is, with several databases and clusters in one repository, and damaged manifests among them. */
class BackupCatalogTest {
    private static final Instant T = Instant.parse("2026-11-02T02:00:00Z");
    private static final long CLUSTER_A = 7300000000000000001L;
    private static final long CLUSTER_B = -1L; // above Long.MAX_VALUE as PostgreSQL's unsigned id: printed 18446744073709551615

    @TempDir
    Path folder;

    private Repository repository;
    private BackupCatalog catalog;
    private final List<String> told = new ArrayList<>();
    private int minutes;

    @BeforeEach
    void setUp() {
        repository = TestRepositories.init(folder);
        repository.notices().tellTo(told::add);
        catalog = new BackupCatalog(repository);
    }

    @Test
    void latestOfANamedDatabaseIsItsNewestEvenWhenAnotherDatabaseWasBackedUpLater() {
        String ledger = logical("Ledger");
        logical("hard");

        assertThat(catalog.resolve("latest", BackupManifest.KIND_LOGICAL, BackupSubject.database("Ledger")).id()).isEqualTo(ledger);
    }

    @Test
    void latestWithNothingNamedIsTheNewestWhenTheRepositoryHoldsOneDatabase() {
        logical("Ledger");
        String newest = logical("Ledger");

        assertThat(catalog.resolve("latest", BackupManifest.KIND_LOGICAL).id()).isEqualTo(newest);
    }

    @Test
    void latestWithNothingNamedAndTwoDatabasesIsRefusedNamingBoth() {
        logical("Ledger");
        logical("hard");

        assertThatThrownBy(() -> catalog.resolve("latest", BackupManifest.KIND_LOGICAL, BackupSubject.unnamed()))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("ambiguous").contains("database Ledger").contains("database hard");
                    assertThat(e.hint()).contains("-d NAME");
                });
    }

    @Test
    void aRestoreTargetNamedLikeABackedUpDatabaseChoosesItWhenNothingIsNamed() {
        String hard = logical("hard");
        logical("Ledger");

        assertThat(catalog.resolve("latest", BackupManifest.KIND_LOGICAL, BackupSubject.unnamedRestoringInto("hard")).id()).isEqualTo(hard);
        assertThatThrownBy(() -> catalog.resolve("latest", BackupManifest.KIND_LOGICAL, BackupSubject.unnamedRestoringInto("hard_copy")))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
    }

    @Test
    void aRestoreTargetWithBackupsOfItsNameWinsOverTheConfiguredDatabaseAndTheConfiguredOneIsTakenOtherwise() {
        String bistro = logical("bistro_north");
        String postgres = logical("postgres");

        // database.name in the environment is where a site connects, often 'postgres': restoring bistro_north brings back bistro_north
        assertThat(catalog.resolve("latest", BackupManifest.KIND_LOGICAL, BackupSubject.restoringInto("bistro_north", "postgres")).id())
                .isEqualTo(bistro);
        // a scratch target with no backups of its name restores the configured database
        assertThat(catalog.resolve("latest", BackupManifest.KIND_LOGICAL, BackupSubject.restoringInto("scratch", "postgres")).id())
                .isEqualTo(postgres);
        assertThatThrownBy(() -> catalog.resolve("latest", BackupManifest.KIND_LOGICAL, BackupSubject.restoringInto("scratch", "gone")))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aNamedDatabaseWithoutBackupsIsNotFoundAndTheMessageListsTheOthers() {
        logical("Ledger");
        physical(CLUSTER_A);

        assertThatThrownBy(() -> catalog.resolve("latest", BackupManifest.KIND_LOGICAL, BackupSubject.database("hard")))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains("no logical backup of database hard").contains("database Ledger")
                            .doesNotContain("cluster");
                });
    }

    @Test
    void latestOfAnyKindCountsAClusterAsASourceOfItsOwn() {
        logical("Ledger");
        physical(CLUSTER_A);

        assertThatThrownBy(() -> catalog.resolve("latest", null, BackupSubject.unnamed()))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.getMessage())
                        .contains("database Ledger").contains("cluster " + Long.toUnsignedString(CLUSTER_A)));
    }

    @Test
    void aDamagedNewestManifestIsSkippedAndToldOnce() throws IOException {
        String intact = logical("Ledger");
        String damaged = logical("Ledger");
        flipByte(folder.resolve("backups").resolve(damaged));

        BackupManifest chosen = catalog.resolve("latest", null, BackupSubject.database("Ledger"));

        assertThat(chosen.id()).isEqualTo(intact);
        assertThat(told).singleElement().asString().contains(damaged).contains("backups/" + damaged).contains("damaged");
        assertThat(repository.notices().summary().damagedManifestsSkipped()).extracting(DamagedManifest::objectKey)
                .containsExactly("backups/" + damaged);
    }

    @Test
    void aListingShowsEveryIntactBackupBesideTheDamagedOnes() throws IOException {
        String first = logical("Ledger");
        String damaged = logical("hard");
        String last = physical(CLUSTER_A);
        flipByte(folder.resolve("backups").resolve(damaged));

        BackupCatalog.Listing listing = catalog.listing();

        assertThat(listing.backups()).extracting(BackupManifest::id).containsExactly(first, last);
        assertThat(listing.damaged()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(damaged);
            assertThat(d.objectKey()).isEqualTo("backups/" + damaged);
            assertThat(d.problem()).contains("corrupt");
        });
    }

    @Test
    void summariesReadEveryManifestWithoutItsChunkReferencesAndStillReportTheDamagedOnes() throws IOException {
        String first = logical("Ledger");
        String damaged = logical("hard");
        String withFiles = physicalWithFiles(CLUSTER_A);
        flipByte(folder.resolve("backups").resolve(damaged));

        BackupCatalog.Summaries<BackupManifest> summaries = catalog.summaries(manifest -> manifest);

        assertThat(summaries.backups()).extracting(BackupManifest::id).containsExactly(first, withFiles);
        assertThat(summaries.damaged()).singleElement().satisfies(d -> assertThat(d.id()).isEqualTo(damaged));
        BackupManifest whole = repository.manifests().load(withFiles);
        BackupManifest summarised = summaries.backups().get(1);
        assertThat(whole.physical().files()).allSatisfy(f -> assertThat(f.chunks()).isNotEmpty());
        assertThat(summarised.physical().files()).allSatisfy(f -> assertThat(f.chunks()).isEmpty());
        assertThat(summarised.streams()).singleElement().satisfies(s -> assertThat(s.chunks()).isEmpty());
        assertThat(summarised.physical().totalBytes()).isEqualTo(whole.physical().totalBytes()).isEqualTo(3 * 8192 + 100);
        assertThat(summarised.streams().get(0).size()).isEqualTo(whole.streams().get(0).size());
        assertThat(summarised.physical().stopLsn()).isEqualTo(whole.physical().stopLsn());
        assertThat(summarised.startedAt()).isEqualTo(whole.startedAt());
    }

    @Test
    void headlinesComeFromTheSummariesAndSayWhatTheManifestsSay() {
        String logical = logical("Ledger");
        String physical = physicalWithFiles(CLUSTER_A);

        BackupCatalog.Summaries<BackupHeadline> headlines = catalog.headlines();

        assertThat(repository.manifests().idsWithSummary()).containsExactly(logical, physical);
        assertThat(headlines.backups()).extracting(BackupHeadline::id).containsExactly(logical, physical);
        assertThat(headlines.backups().get(1).agreesWith(repository.manifests().load(physical))).isTrue();
        assertThat(headlines.backups().get(1).totalBytes()).isEqualTo(16384 + 3 * 8192 + 100);
        assertThat(headlines.damaged()).isEmpty();
    }

    @Test
    void aListingOfManyManifestsWarmsDecryptionUpFirstAndStillReadsAndChecksEveryOne() throws IOException {
        // above the count at which the listing compiles AES-GCM on a warm-up before reading
        List<String> intact = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            intact.add(i % 2 == 0 ? logical("Ledger") : physicalWithFiles(CLUSTER_A));
        }
        String damaged = intact.remove(17);
        flipByte(folder.resolve("backups").resolve(damaged));

        // as list, expire and gc do: the count and the warm-up start before the unlock, on another thread
        BackupCatalog.warmUpBeforeUnlock(repository.storage());
        BackupCatalog.Summaries<BackupHeadline> headlines = catalog.headlines();

        assertThat(headlines.backups()).extracting(BackupHeadline::id).containsExactlyElementsOf(intact);
        assertThat(headlines.damaged()).singleElement().satisfies(d -> assertThat(d.id()).isEqualTo(damaged));
    }

    @Test
    void aFlippedByteInAManifestIsStillReportedDamagedAlthoughItsSummaryReads() throws IOException {
        String first = logical("Ledger");
        String damaged = physicalWithFiles(CLUSTER_A);
        flipByte(folder.resolve("backups").resolve(damaged));

        BackupCatalog.Summaries<BackupHeadline> headlines = catalog.headlines();

        assertThat(repository.manifests().summary(damaged)).isPresent();
        assertThat(headlines.backups()).extracting(BackupHeadline::id).containsExactly(first);
        assertThat(headlines.damaged()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(damaged);
            assertThat(d.objectKey()).isEqualTo("backups/" + damaged);
        });
    }

    @Test
    void aBackupWithoutASummaryOrWithADamagedOneIsListedFromItsManifest() throws IOException {
        String withoutSummary = physicalWithFiles(CLUSTER_A);
        String damagedSummary = physicalWithFiles(CLUSTER_A);
        Files.delete(folder.resolve("summaries").resolve(withoutSummary));
        flipByte(folder.resolve("summaries").resolve(damagedSummary));

        BackupCatalog.Summaries<BackupHeadline> headlines = catalog.headlines();

        assertThat(headlines.backups()).extracting(BackupHeadline::id).containsExactly(withoutSummary, damagedSummary);
        assertThat(headlines.backups()).allSatisfy(h -> assertThat(h.agreesWith(repository.manifests().load(h.id()))).isTrue());
        assertThat(headlines.damaged()).isEmpty();
    }

    @Test
    void aSummaryWrittenForAnotherManifestIsIgnored() throws IOException {
        String listed = physicalWithFiles(CLUSTER_A);
        String other = logical("Ledger");
        // a sealed summary names its key as associated data, so another backup's cannot be moved here; an
        // older one of this backup can: the summary written for a manifest since replaced
        Path summary = folder.resolve("summaries").resolve(listed);
        byte[] writtenFor = Files.readAllBytes(summary);
        Path manifest = folder.resolve("backups").resolve(listed);
        Files.delete(manifest);
        Files.delete(summary);
        BackupManifest replacement = new BackupManifest(listed, BackupManifest.KIND_LOGICAL, T, T.plusSeconds(5), "Replaced", "15.0",
                "pg_dump 15", "localhost:5432", "postgres@db1", List.of(), List.of(), 0, 0, null);
        repository.manifests().save(replacement);
        Files.write(summary, writtenFor);

        BackupCatalog.Summaries<BackupHeadline> headlines = catalog.headlines();

        assertThat(headlines.backups()).extracting(BackupHeadline::database).containsExactly("Replaced", "Ledger");
        assertThat(headlines.backups().get(1).id()).isEqualTo(other);
    }

    @Test
    void expiringABackupDeletesItsSummaryWithItsManifest() {
        String expired = logical("Ledger");
        String kept = logical("Ledger");

        repository.manifests().delete(expired);

        assertThat(repository.manifests().ids()).containsExactly(kept);
        assertThat(repository.manifests().idsWithSummary()).containsExactly(kept);
    }

    @Test
    void withOneClusterItsBackupsAreTakenWithoutAskingTheServer() {
        String older = physical(CLUSTER_A);
        String newer = physical(CLUSTER_A);
        AtomicInteger asked = new AtomicInteger();

        List<BackupManifest> backups = catalog.physicalBackupsOfOneCluster(() -> {
            asked.incrementAndGet();
            return OptionalLong.empty();
        });

        assertThat(backups).extracting(BackupManifest::id).containsExactly(older, newer);
        assertThat(asked).hasValue(0);
    }

    @Test
    void withTwoClustersTheConfiguredOneIsChosenEvenWhenTheOtherIsNewer() {
        String ofA = physical(CLUSTER_A);
        physical(CLUSTER_B);

        assertThat(catalog.physicalBackupsOfOneCluster(() -> OptionalLong.of(CLUSTER_A))).extracting(BackupManifest::id).containsExactly(ofA);
    }

    @Test
    void withTwoClustersAndNoAnswerFromTheServerTheChoiceIsRefusedNamingBoth() {
        physical(CLUSTER_A);
        String ofB = physical(CLUSTER_B);

        assertThatThrownBy(() -> catalog.physicalBackupsOfOneCluster(OptionalLong::empty))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("2 clusters").contains(Long.toUnsignedString(CLUSTER_A))
                            .contains("18446744073709551615").contains(ofB);
                    assertThat(e.hint()).contains("--backup");
                });
    }

    private String logical(String database) {
        Instant started = T.plusSeconds(60L * minutes++);
        String id = BackupId.next(started);
        repository.manifests().save(new BackupManifest(id, BackupManifest.KIND_LOGICAL, started, started.plusSeconds(30), database, "15.0",
                "pg_dump 15", "localhost:5432", "postgres@db1", List.of(), List.of(), 0, 0, null));
        return id;
    }

    private String physical(long systemIdentifier) {
        Instant started = T.plusSeconds(60L * minutes++);
        String id = BackupId.next(started);
        PhysicalInfo info = new PhysicalInfo("full", null, systemIdentifier, 1, "0/2000028", "0/2000100", "000000010000000000000002",
                "000000010000000000000002", 16 << 20, 150000, true, "START WAL LOCATION: 0/2000028", "", List.of(), List.of(), List.of(),
                List.of());
        repository.manifests().save(new BackupManifest(id, BackupManifest.KIND_PHYSICAL, started, started.plusSeconds(30), null, "15.0",
                "cellar", "localhost:5432 /srv/pg", "postgres@db1", List.of(), List.of(), 0, 0, info));
        return id;
    }

    /** A physical backup whose files and stream name chunks, as a real one's do. */
    private String physicalWithFiles(long systemIdentifier) {
        Instant started = T.plusSeconds(60L * minutes++);
        String id = BackupId.next(started);
        List<ChunkRef> chunks = List.of(new ChunkRef("ab".repeat(32), 8192), new ChunkRef("cd".repeat(32), 8192));
        List<PhysicalInfo.FileEntry> files = List.of(new PhysicalInfo.FileEntry("base/1/1259", 2 * 8192, 0, 0600, "00000000", chunks),
                new PhysicalInfo.FileEntry("base/1/1249", 8192 + 100, 0, 0600, "00000001", chunks));
        PhysicalInfo info = new PhysicalInfo("full", null, systemIdentifier, 1, "0/2000028", "0/2000100", "000000010000000000000002",
                "000000010000000000000002", 16 << 20, 150000, true, "START WAL LOCATION: 0/2000028", "", List.of(), List.of(), files,
                List.of());
        List<BackupManifest.StreamEntry> streams = List.of(new BackupManifest.StreamEntry("extra", "raw", 16384, chunks));
        repository.manifests().save(new BackupManifest(id, BackupManifest.KIND_PHYSICAL, started, started.plusSeconds(30), null, "15.0",
                "cellar", "localhost:5432 /srv/pg", "postgres@db1", streams, List.of(), 0, 0, info));
        return id;
    }

    private static void flipByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
    }
}
