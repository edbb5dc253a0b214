package dev.cellar.sync;

import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.Repository;
import dev.cellar.repo.TestRepositories;
import dev.cellar.storage.LocalStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code repo sync --dry-run} says it would copy is what the real copy writes, object kind by object kind. */
class DryRunFiguresTest {
    @TempDir
    Path source;
    @TempDir
    Path target;

    @Test
    void theDryRunCountsTheBytesTheRealCopyWritesForAManifestItsSummaryAndItsChunks() throws Exception {
        Repository repository = TestRepositories.init(source);
        byte[] data = new byte[400_000];
        new Random(3).nextBytes(data);
        BackupManifest backup = TestRepositories.logicalBackupOf(repository, data);
        List<ChunkRef> chunks = backup.streams().get(0).chunks();
        DryRunFigures dryRun = new DryRunFigures(repository.storage());
        ObjectCopy copy = new ObjectCopy(repository, new LocalStorage(target), ObjectCopy.Mode.ADD);

        long copiedChunks = 0;
        for (ChunkRef ref : chunks) {
            copiedChunks += copy.chunk(ref);
        }
        copy.flush();

        assertThat(dryRun.chunks(chunks).bytes()).isEqualTo(copiedChunks).isPositive();
        assertThat(dryRun.manifest(backup.id())).isEqualTo(copy.manifest(backup.id())).isPositive();
    }
}
