package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One closing record per operation, whichever way it ends (the signal path is proven through the CLI in BackupAuditIT). */
class AuditedOperationTest {
    @TempDir
    Path folder;

    private Repository repository;

    @BeforeEach
    void createRepository() {
        repository = TestRepositories.init(folder);
    }

    @Test
    void finishedOperationHasStartedAndOk() {
        long startedSequence;
        try (AuditedOperation audit = AuditedOperation.begin(repository, "backup.logical", "db:5432/shop")) {
            startedSequence = audit.started("B1");
            audit.succeeded(1234, Duration.ofSeconds(3));
        }

        assertThat(trail()).extracting(AuditRecord::result, AuditRecord::detail)
                .containsExactly(tuple(AuditRecord.STARTED, "B1"), tuple(AuditRecord.OK, "B1"));
        assertThat(trail().get(0).sequence()).as("the sequence a manifest refers to").isEqualTo(startedSequence);
        assertThat(trail().get(1).bytes()).isEqualTo(1234);
    }

    @Test
    void failureAfterTheStartNamesTheIdAndTheError() {
        try (AuditedOperation audit = AuditedOperation.begin(repository, "backup.physical", "db:5432/postgres")) {
            audit.started("B2", "of /var/lib/postgresql/15/main");
            audit.failed(new CellarException(ErrorCode.STORAGE_FULL, "no space left on /repo"));
            audit.succeeded(1, Duration.ZERO);
        }

        List<AuditRecord> trail = trail();
        assertThat(trail).extracting(AuditRecord::result).containsExactly(AuditRecord.STARTED, AuditRecord.FAILED);
        assertThat(trail.get(0).detail()).isEqualTo("B2 of /var/lib/postgresql/15/main");
        assertThat(trail.get(1).detail()).isEqualTo("B2: no space left on /repo");
    }

    @Test
    void failureBeforeTheStartIsRecordedAlone() {
        try (AuditedOperation audit = AuditedOperation.begin(repository, "backup.logical", "db:5432/gone")) {
            audit.failed(new CellarException(ErrorCode.DATABASE_UNREACHABLE, "database \"gone\" does not exist"));
        }

        assertThat(trail()).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(AuditRecord.FAILED);
            assertThat(r.target()).isEqualTo("db:5432/gone");
            assertThat(r.detail()).isEqualTo("database \"gone\" does not exist");
        });
    }

    @Test
    void operationLeftWithoutAResultIsClosedAsFailed() {
        try (AuditedOperation audit = AuditedOperation.begin(repository, "backup.logical", "db:5432/shop")) {
            audit.started("B3");
        }

        assertThat(trail()).extracting(AuditRecord::result).containsExactly(AuditRecord.STARTED, AuditRecord.FAILED);
        assertThat(trail().get(1).detail()).startsWith("B3: ended without a result");
    }

    @Test
    void brokenStaleLockIsRecordedAsAbandoned() throws Exception {
        Actor self = Actor.current();
        long deadPid = deadPid();
        LockInfo orphan = new LockInfo("killed", LockInfo.SHARED, "backup logical shop", new Actor("postgres", self.host(), deadPid),
                Instant.parse("2026-03-01T02:00:00Z"), Instant.parse("2026-03-01T02:00:00Z"));
        repository.storage().put(RepositoryLock.PREFIX + "killed.lock", RepositoryJson.write(orphan));

        assertThat(repository.locks().breakStale()).extracting(LockInfo::token).containsExactly("killed");

        assertThat(trail()).singleElement().satisfies(r -> {
            assertThat(r.operation()).isEqualTo("lock.stale");
            assertThat(r.result()).isEqualTo(AuditRecord.ABANDONED);
            assertThat(r.target()).isEqualTo("backup logical shop");
            assertThat(r.detail()).contains("(pid " + deadPid + ")").contains("2026-03-01T02:00:00Z");
        });
        assertThat(repository.audit().read(0).intact()).isTrue();
    }

    private List<AuditRecord> trail() {
        return repository.audit().read(0).records().stream().filter(r -> !r.operation().equals("init")).toList();
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.pid();
    }
}
