package dev.cellar.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit trail turned into backup_log rows, without PostgreSQL or a repository. */
class BackupLogBuilderTest {
    private static final String ID = "20270101T020000.000Z-abcdef";
    private static final String TARGET = "postgres@db:5432/shop";
    private final List<AuditRecord> trail = new ArrayList<>();

    @Test
    void aStartedAndItsOkRecordAreOneRowWithTheManifestsFacts() {
        record("backup.logical", TARGET, "started", ID, 0, 0, "10:00:00");
        record("backup.logical", TARGET, "ok", ID, 500, 60_000, "10:01:00");
        BackupLogEntry row = single(Map.of(ID, new BackupFacts(ID, null, null, "shop", 2000, 500)), Map.of(ID, 2));
        assertThat(row.status()).isEqualTo("ok");
        assertThat(row.auditMac()).isEqualTo("mac1");
        assertThat(row.backupType()).isEqualTo("logical");
        assertThat(row.database()).isEqualTo("shop");
        assertThat(row.sizeBytes()).isEqualTo(2000);
        assertThat(row.copies()).isEqualTo(2);
        assertThat(row.duration()).hasSeconds(60);
        assertThat(row.finishedAt()).isEqualTo(Instant.parse("2027-01-01T10:01:00Z"));
    }

    @Test
    void aBackupThatFailedBeforeItBeganIsARowByItselfNamingTheDatabaseItWanted() {
        record("backup.logical", "postgres@db:5432/gone", "failed", "cannot connect to database gone", 0, 5, "10:00:00");
        BackupLogEntry row = single(Map.of(), Map.of());
        assertThat(row.status()).isEqualTo("failed");
        assertThat(row.database()).isEqualTo("gone");
        assertThat(row.error()).isEqualTo("cannot connect to database gone");
        assertThat(row.backupId()).isNull();
    }

    @Test
    void aStartedRecordWithoutEndIsRunningUntilABrokenStaleLockSaysItWasAbandoned() {
        record("backup.physical", TARGET, "started", ID + " of /data", 0, 0, "10:00:00");
        assertThat(single(Map.of(), Map.of()).status()).isEqualTo("running");
        record("lock.stale", "backup physical", "abandoned",
                "the shared lock of postgres@db (pid 42) taken 2027-01-01T09:59:59Z was left behind: that process ended", 0, 0, "11:00:00");
        BackupLogEntry row = single(Map.of(), Map.of());
        assertThat(row.status()).isEqualTo("abandoned");
        assertThat(row.backupId()).isEqualTo(ID);
        assertThat(row.finishedAt()).isEqualTo(Instant.parse("2027-01-01T11:00:00Z"));
    }

    @Test
    void expiresOkRecordMarksTheBackupsItDeleted() {
        record("backup.logical", TARGET, "started", ID, 0, 0, "10:00:00");
        record("backup.logical", TARGET, "ok", ID, 500, 1000, "10:01:00");
        record("expire", "/repo", "ok", "dry run: delete 1 backups (" + ID + ")", 0, 10, "11:00:00");
        assertThat(BackupLogBuilder.entries(trail, Map.of(), Map.of()).get(0).expiredAt()).isNull();
        record("expire", "/repo", "started", "delete 1 backups (" + ID + ")", 0, 0, "12:00:00");
        record("expire", "/repo", "ok", "deleted 1 backups (" + ID + "), 0 WAL files, 3 chunks", 100, 10, "12:00:01");
        List<BackupLogEntry> rows = BackupLogBuilder.entries(trail, Map.of(), Map.of());
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).expiredAt()).isEqualTo(Instant.parse("2027-01-01T12:00:01Z"));
        assertThat(rows.get(0).copies()).isZero();
        assertThat(rows.get(2).operation()).isEqualTo("expire");
        assertThat(rows.get(2).firstSequence()).isEqualTo(4);
        assertThat(rows.get(2).lastSequence()).isEqualTo(5);
    }

    @Test
    void theWebLayersLoginsRefusalsAndApiCallsAreNoRows() {
        record("web.denied", "POST /api/backups", "denied", "403 role auditor lacks permission RUN_BACKUP", 0, 0, "09:59:00");
        record("web.login", "dora", "ok", "second factor (totp)", 0, 0, "09:59:30");
        record("api POST /api/backups", "shop op-1", "ok", "status 202", 0, 0, "09:59:59");
        record("backup.logical", TARGET, "started", ID, 0, 0, "10:00:00");
        record("backup.logical", TARGET, "ok", ID, 500, 60_000, "10:01:00");
        assertThat(single(Map.of(), Map.of()).operation()).isEqualTo("backup.logical");
    }

    @Test
    void theSameTrailGivesTheSameRowsWhateverOrderItIsReadIn() {
        record("backup.logical", TARGET, "started", ID, 0, 0, "10:00:00");
        record("verify", "all", "ok", "3 backups verified", 0, 10, "10:00:30");
        record("backup.logical", TARGET, "ok", ID, 500, 1000, "10:01:00");
        List<BackupLogEntry> forward = BackupLogBuilder.entries(trail, Map.of(), Map.of());
        List<BackupLogEntry> backward = BackupLogBuilder.entries(trail.reversed(), Map.of(), Map.of());
        assertThat(backward).isEqualTo(forward).hasSize(2);
    }

    private BackupLogEntry single(Map<String, BackupFacts> facts, Map<String, Integer> copies) {
        List<BackupLogEntry> rows = BackupLogBuilder.entries(trail, facts, copies);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private void record(String operation, String target, String result, String detail, long bytes, long millis, String time) {
        long sequence = trail.size() + 1;
        trail.add(new AuditRecord(sequence, Instant.parse("2027-01-01T" + time + "Z"), "postgres", "db", operation, target, result, detail,
                bytes, millis, "mac" + (sequence - 1), "mac" + sequence));
    }
}
