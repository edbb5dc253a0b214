package dev.cellar.repo;

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

    private void appendThree() {
        audit.append("backup logical", "cafe", AuditRecord.STARTED, null, 0, null);
        audit.append("backup logical", "cafe", AuditRecord.OK, null, 100, Duration.ofSeconds(5));
        audit.append("gc", "", AuditRecord.OK, "2 chunks", 0, Duration.ofSeconds(1));
    }
}
