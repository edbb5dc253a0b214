package dev.cellar.repo;

import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.MirroredStorage;
import dev.cellar.storage.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest {
    @TempDir
    Path folder;

    private Storage storage;
    private AuditLog audit;
    private MutableClock clock;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2024-03-01T02:00:00.123456Z"));
        Repository repository = TestRepositories.init(folder, clock);
        storage = repository.storage();
        audit = repository.audit();
    }

    @Test
    void appendedRecordsChainAndReadBackIntact() {
        AuditRecord first = audit.append("backup logical", "cafe", AuditRecord.STARTED, null, 0, null);
        clock.advance(Duration.ofMinutes(3));
        AuditRecord second = audit.append("backup logical", "cafe", AuditRecord.OK, "3 tables", 1234, Duration.ofMinutes(3));

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.previousMac()).isEqualTo(first.mac());

        AuditLog.AuditReport report = audit.read(2);
        assertThat(report.problems()).isEmpty();
        assertThat(report.intact()).isTrue();
        assertThat(report.records()).containsExactly(first, second);
        assertThat(report.records().get(1).durationMillis()).isEqualTo(Duration.ofMinutes(3).toMillis());
    }

    @Test
    void emptyLogIsIntact() {
        assertThat(audit.read(0).intact()).isTrue();
    }

    @Test
    void changedFieldOfARecordIsReportedNamingTheRecord() throws Exception {
        appendThree();
        String key = AuditLog.PREFIX + "000000000002.json";
        AuditRecord original = RepositoryJson.read(storage.get(key), AuditRecord.class);
        AuditRecord forged = new AuditRecord(original.sequence(), original.time(), "mallory", original.host(), original.operation(),
                original.target(), original.result(), original.detail(), original.bytes(), original.durationMillis(),
                original.previousMac(), original.mac());
        storage.put(key, RepositoryJson.write(forged));

        AuditLog.AuditReport report = audit.read(3);

        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).containsExactly("audit record 2 was modified (MAC mismatch)");
    }

    @Test
    void recordThatIsNoLongerJsonIsReportedNamingTheFile() {
        appendThree();
        storage.put(AuditLog.PREFIX + "000000000002.json", "{\"sequence\": 2, oops".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(audit.read(3).problems()).anySatisfy(p -> assertThat(p).contains("000000000002.json"));
    }

    @Test
    void removedMiddleRecordIsReportedMissing() {
        appendThree();
        storage.delete(AuditLog.PREFIX + "000000000002.json");

        AuditLog.AuditReport report = audit.read(3);

        assertThat(report.problems()).containsExactly("audit records 2 are missing (removed)");
        assertThat(report.records()).extracting(AuditRecord::sequence).containsExactly(1L, 3L);
    }

    @Test
    void removedLastRecordIsReportedWhenAManifestRefersToIt() {
        appendThree();
        storage.delete(AuditLog.PREFIX + "000000000003.json");

        assertThat(audit.read(2).intact()).as("nothing refers to record 3").isTrue();
        assertThat(audit.read(3).problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("audit records 3..3 are missing")
                .contains("refers to record 3"));
    }

    @Test
    void recordsRenumberedToHideARemovalAreReported() throws Exception {
        appendThree();
        byte[] third = storage.get(AuditLog.PREFIX + "000000000003.json");
        storage.delete(AuditLog.PREFIX + "000000000003.json");
        storage.put(AuditLog.PREFIX + "000000000002.json", third);

        assertThat(audit.read(0).problems()).contains("audit/000000000002.json holds sequence 3 (moved or modified)");
    }

    @Test
    void concurrentAppendsFormOneContiguousIntactChain() throws Exception {
        int threads = 4;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<AuditRecord>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String target = "db" + t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<AuditRecord> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(audit.append("backup logical", target, AuditRecord.OK, null, i, null));
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<List<AuditRecord>> result : results) {
                assertThat(result.get()).hasSize(perThread);
            }
        } finally {
            pool.shutdownNow();
        }

        AuditLog.AuditReport report = audit.read(threads * perThread);

        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).extracting(AuditRecord::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
        for (int t = 0; t < threads; t++) {
            String target = "db" + t;
            assertThat(report.records()).filteredOn(r -> r.target().equals(target)).hasSize(perThread);
        }
    }

    /** A repository in two folders, {@code local} read first, through one mirrored storage. */
    private record TwoCopies(Repository repository, LocalStorage local, LocalStorage cloud, MirroredStorage both) {
        AuditLog onLocal() {
            return repository.audit().on(local);
        }

        AuditLog onCloud() {
            return repository.audit().on(cloud);
        }
    }

    private TwoCopies twoCopies() {
        LocalStorage local = new LocalStorage(folder.resolve("local"));
        LocalStorage cloud = new LocalStorage(folder.resolve("cloud"));
        MirroredStorage both = new MirroredStorage(List.of(new MirroredStorage.Member("local", local),
                new MirroredStorage.Member("cloud", cloud)), warning -> { });
        Repository repository = Repository.init(both, TestRepositories.passphrase("two copies"), TestRepositories.SMALL_CHUNKS, clock,
                TestRepositories.CHEAP_KDF);
        repository.audit().append("init", "", AuditRecord.OK, null, 0, null);
        return new TwoCopies(repository, local, cloud, both);
    }

    @Test
    void recordsWrittenApartUnderOneNumberAreJoinedAndEveryCopyEndsWithTheSameIntactTrail() {
        TwoCopies copies = twoCopies();
        clock.advance(Duration.ofMinutes(1));
        AuditRecord inLocal = copies.onLocal().append("backup.logical", "shop", AuditRecord.OK, "while cloud was down", 10, null);
        AuditRecord inCloud = copies.onCloud().append("backup.logical", "shop", AuditRecord.OK, "with --repo-name cloud", 20, null);
        assertThat(inLocal.sequence()).isEqualTo(inCloud.sequence()).isEqualTo(2);

        AuditLog.AuditReport apart = copies.repository().audit().read(0);
        assertThat(apart.intact()).as(apart.problems().toString()).isTrue();
        assertThat(apart.records()).as("both copies read, each record once").hasSize(3).contains(inLocal, inCloud);
        assertThat(apart.unjoined()).containsExactlyInAnyOrder(inLocal, inCloud);

        AuditLog.JoinResult join = copies.repository().audit().join(AuditLog.JoinMode.COPY);

        assertThat(join.branches()).isEqualTo(2);
        assertThat(join.joined().operation()).isEqualTo(AuditRecord.JOIN);
        assertThat(join.joined().sequence()).isEqualTo(3);
        assertThat(join.joined().parents()).containsExactlyInAnyOrder(inLocal.mac(), inCloud.mac());
        assertThat(join.joined().detail()).contains("joined 2 branches", "from local", "from cloud");
        assertThat(copies.local().list("audit/")).isEqualTo(copies.cloud().list("audit/"));
        for (AuditLog copy : List.of(copies.onLocal(), copies.onCloud())) {
            AuditLog.AuditReport report = copy.read(0);
            assertThat(report.problems()).isEmpty();
            assertThat(report.unjoined()).isEmpty();
            assertThat(report.records()).hasSize(4).contains(inLocal, inCloud, join.joined());
        }
        AuditRecord next = copies.repository().audit().append("verify", "all", AuditRecord.OK, null, 0, null);
        assertThat(next.sequence()).isEqualTo(4);
        assertThat(next.parents()).containsExactly(join.joined().mac());
        assertThat(copies.repository().audit().join(AuditLog.JoinMode.COPY).recordsCopied()).as("joined once, nothing left to do").isZero();
    }

    @Test
    void aCopyLackingRecordsAnotherCopyHoldsIsBehindNotBrokenUntilTheJoinCopiesThem() {
        TwoCopies copies = twoCopies();
        copies.onLocal().append("backup.logical", "shop", AuditRecord.STARTED, null, 0, null);
        copies.onLocal().append("backup.logical", "shop", AuditRecord.OK, null, 0, null);
        copies.repository().audit().append("verify", "all", AuditRecord.OK, null, 0, null);
        Repository cloudOnly = copies.repository().onCopy(copies.cloud());

        AuditLog.AuditReport cloud = cloudOnly.audit().read(0);
        assertThat(cloud.intact()).as(cloud.problems().toString()).isTrue();
        assertThat(cloud.lacking()).singleElement().asString().contains("audit records 2..3 are missing", "another copy holds them");
        assertThat(copies.onCloud().read(0).problems()).as("the copy alone, knowing no other").containsExactly(
                "audit records 2..3 are missing (removed)");

        AuditLog.JoinResult join = copies.repository().audit().join(AuditLog.JoinMode.COPY);

        assertThat(join.copied()).containsExactly(java.util.Map.entry("cloud", 2));
        assertThat(join.joined()).as("one chain, nothing to join").isNull();
        assertThat(copies.onCloud().read(0).problems()).isEmpty();
        assertThat(copies.cloud().list("audit/")).isEqualTo(copies.local().list("audit/"));
    }

    @Test
    void aTrailBrokenByAnEarlierVersionIsMendedByTheJoinWhichRecordsTheRepair() throws Exception {
        // what Cellar before the join wrote: record 3 in each copy alone, then record 4 in both, chained to cloud's 3
        TwoCopies copies = twoCopies();
        copies.repository().audit().append("backup.logical", "shop", AuditRecord.STARTED, null, 0, null);
        AuditRecord local3 = copies.onLocal().append("backup.logical", "shop", AuditRecord.OK, null, 0, null);
        clock.advance(Duration.ofMinutes(1));
        AuditRecord cloud3 = copies.onCloud().append("repo sync", "local", AuditRecord.OK, null, 0, null);
        AuditRecord four = copies.onCloud().append("verify", "all", AuditRecord.OK, null, 0, null);
        copies.local().put("audit/000000000004.json", copies.cloud().get("audit/000000000004.json"));
        assertThat(copies.onLocal().read(0).problems()).containsExactly("audit record 4 does not chain to record 3: it follows "
                + "a record not in this trail (" + cloud3.mac().substring(0, 16) + ")");

        AuditLog.JoinResult join = copies.repository().audit().join(AuditLog.JoinMode.COPY);

        assertThat(join.joined().parents()).containsExactlyInAnyOrder(four.mac(), local3.mac());
        for (AuditLog copy : List.of(copies.onLocal(), copies.onCloud(), copies.repository().audit())) {
            AuditLog.AuditReport report = copy.read(0);
            assertThat(report.problems()).isEmpty();
            assertThat(report.unjoined()).isEmpty();
            assertThat(report.records()).extracting(AuditRecord::operation).containsExactly("init", "backup.logical",
                    "backup.logical", "repo sync", "verify", AuditRecord.JOIN);
        }
    }

    @Test
    void aRecordDamagedInOneCopyIsNeverCopiedAndRepairReplacesItByTheIntactOne() {
        TwoCopies copies = twoCopies();
        copies.repository().audit().append("gc", "", AuditRecord.OK, null, 0, null);
        byte[] intact = copies.cloud().get("audit/000000000002.json");
        byte[] damaged = new String(intact, java.nio.charset.StandardCharsets.UTF_8).replace("\"gc\"", "\"GC\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        copies.local().put("audit/000000000002.json", damaged);
        assertThat(copies.repository().audit().read(0).problems()).singleElement().asString()
                .contains("audit record 2", "in local", "MAC mismatch");

        AuditLog.JoinResult sync = copies.repository().audit().join(AuditLog.JoinMode.COPY);
        assertThat(sync.notCopied()).singleElement().asString().contains("in local is damaged", "'cellar verify --repair' replaces it");
        assertThat(copies.cloud().get("audit/000000000002.json")).as("damage is never copied").isEqualTo(intact);

        AuditLog.JoinResult repair = copies.repository().audit().join(AuditLog.JoinMode.REPAIR);

        assertThat(repair.replaced()).singleElement().asString().contains("audit/000000000002.json in local", "from cloud");
        assertThat(copies.local().get("audit/000000000002.json")).isEqualTo(intact);
        assertThat(copies.repository().audit().read(0).problems()).isEmpty();
        assertThat(copies.local().list("audit/")).isEqualTo(copies.cloud().list("audit/"));
    }

    @Test
    void aJoinRecordWhoseBranchesWereChangedIsReportedModified() throws Exception {
        TwoCopies copies = twoCopies();
        copies.onLocal().append("gc", "local", AuditRecord.OK, null, 0, null);
        copies.onCloud().append("gc", "cloud", AuditRecord.OK, null, 0, null);
        AuditRecord joined = copies.repository().audit().join(AuditLog.JoinMode.COPY).joined();
        String key = "audit/000000000003.json";
        AuditRecord forged = new AuditRecord(joined.sequence(), joined.time(), joined.user(), joined.host(), joined.operation(),
                joined.target(), joined.result(), joined.detail(), joined.bytes(), joined.durationMillis(), joined.previousMac(),
                List.of(), joined.mac());
        copies.local().put(key, RepositoryJson.write(forged));

        assertThat(copies.onLocal().read(0).problems()).contains("audit record 3 was modified (MAC mismatch)");
    }

    private void appendThree() {
        audit.append("backup logical", "cafe", AuditRecord.STARTED, null, 0, null);
        audit.append("backup logical", "cafe", AuditRecord.OK, null, 100, Duration.ofSeconds(5));
        audit.append("gc", "", AuditRecord.OK, "2 chunks", 0, Duration.ofSeconds(1));
    }
}
