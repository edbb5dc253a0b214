package dev.cellar.verify;

import dev.cellar.config.RetentionConfig;
import dev.cellar.expire.Expire;
import dev.cellar.expire.FortyDaysOfBackups;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * verify --all holds the repository to its audit trail: a backup the trail says finished must be
 * there unless the trail says Cellar's expire deleted it; the records expire writes are the ones
 * read here (so a change to their wording fails this test, not an operator's verify).
 */
class AuditedBackupsTest {
    @TempDir
    Path folder;

    @Test
    void backupsExpireDeletedAreNotMissingAndOneRemovedBehindCellarsBackIs() throws IOException {
        FortyDaysOfBackups history = new FortyDaysOfBackups(folder, Instant.parse("2026-01-01T01:00:00Z"));
        Repository repository = history.repository;
        for (String id : repository.manifests().ids()) {
            repository.audit().append("backup.logical", "db", AuditRecord.OK, id, 0, Duration.ZERO);
        }

        new Expire(repository, new RetentionConfig(30, 7)).run(false, Duration.ZERO);

        assertThat(repository.manifests().ids()).doesNotContain(history.p0, history.l1, history.p5);
        assertThat(new RepositoryVerifier(repository).checkOnly(List.of(), 2, ProgressListener.NONE).missingBackups())
                .as("what expire deleted is not missing").isEmpty();

        Files.delete(folder.resolve("backups").resolve(history.l20));

        assertThat(new RepositoryVerifier(repository).checkOnly(List.of(), 2, ProgressListener.NONE).missingBackups())
                .singleElement().asString().startsWith("backup " + history.l20 + ": the audit trail says it finished");
    }

    @Test
    void dryRunsAndFailedExpiresDeleteNothing() {
        List<AuditRecord> records = List.of(
                record(1, "backup.physical", AuditRecord.OK, "20260101T010000Z-aaaa"),
                record(2, "expire", AuditRecord.OK, "dry run: delete 1 backups (20260101T010000Z-aaaa), 0 WAL files; keep 0 backups"),
                record(3, "expire", AuditRecord.FAILED, "delete 1 backups (20260101T010000Z-aaaa)"),
                record(4, "backup.logical", AuditRecord.FAILED, "20260102T010000Z-bbbb: pg_dump failed"));

        AuditedBackups audited = AuditedBackups.of(records);

        assertThat(audited.finished()).containsOnlyKeys("20260101T010000Z-aaaa");
        assertThat(audited.expiredByCellar("20260101T010000Z-aaaa")).isFalse();
    }

    private static AuditRecord record(long sequence, String operation, String result, String detail) {
        return new AuditRecord(sequence, Instant.EPOCH, "u", "h", operation, "t", result, detail, 0, 0, "p", "m");
    }
}
