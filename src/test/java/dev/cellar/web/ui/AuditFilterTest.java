package dev.cellar.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.AuditRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditFilterTest {
    private static AuditRecord record(long sequence, String time, String user, String operation) {
        return new AuditRecord(sequence, Instant.parse(time), user, "db1", operation, "orders", "ok", null, 0, 0, "prev", List.of(), "mac");
    }

    private static final List<AuditRecord> TRAIL = List.of(
            record(1, "2026-03-01T10:00:00Z", "alice", "backup.logical"),
            record(2, "2026-03-02T23:59:59Z", "bob", "restore.logical"),
            record(3, "2026-03-03T00:00:00Z", "alice", "backup.physical"));

    @Test
    void filtersByUserOperationPrefixAndWholeDaysNewestFirst() {
        assertThat(new AuditFilter("ALICE", "backup", null, null).apply(TRAIL)).extracting(AuditRecord::sequence).containsExactly(3L, 1L);
        assertThat(new AuditFilter(null, null, LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 2)).apply(TRAIL))
                .extracting(AuditRecord::sequence).containsExactly(2L);
        assertThat(new AuditFilter(" ", "", null, null).apply(TRAIL)).hasSize(3);
    }
}
