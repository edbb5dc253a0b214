package dev.cellar.repo;

import dev.cellar.storage.Retention;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The WORM record in the manifest: written and read back, and absent (null) in manifests from before it existed. */
class BackupManifestRetentionTest {
    private static final Instant T = Instant.parse("2026-05-01T02:00:00Z");

    @Test
    void aLockedManifestKeepsItsRetentionThroughJson() throws Exception {
        Retention lock = new Retention(Retention.Mode.GOVERNANCE, T.plusSeconds(86_400L * 2555));
        BackupManifest manifest = manifest().lockedBy(lock);

        BackupManifest read = RepositoryJson.read(RepositoryJson.write(manifest), BackupManifest.class);

        assertThat(read).isEqualTo(manifest);
        assertThat(read.retention()).isEqualTo(lock);
        assertThat(new String(RepositoryJson.write(manifest), StandardCharsets.UTF_8))
                .contains("\"retention\":{\"mode\":\"GOVERNANCE\",\"retainUntil\":\"2033-04-29T02:00:00Z\"}");
        assertThat(read.lockedAt(T)).isTrue();
        assertThat(read.lockedAt(lock.retainUntil())).isFalse();
    }

    @Test
    void aManifestWrittenBeforeWormReadsAsUnlocked() throws Exception {
        String old = new String(RepositoryJson.write(manifest()), StandardCharsets.UTF_8).replace(",\"retention\":null", "");
        assertThat(old).doesNotContain("retention");

        BackupManifest read = RepositoryJson.read(old.getBytes(StandardCharsets.UTF_8), BackupManifest.class);

        assertThat(read.retention()).isNull();
        assertThat(read.lockedAt(T)).isFalse();
        assertThat(read).isEqualTo(manifest());
    }

    private static BackupManifest manifest() {
        return new BackupManifest("20260501T020000.000Z-abcdef", BackupManifest.KIND_LOGICAL, T, T.plusSeconds(5), "cafe", "17",
                "pg_dump 17", "localhost:5432", "test", List.of(), List.of(), 0, 1, null);
    }
}
