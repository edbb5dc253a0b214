package dev.cellar.wal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadyFilesTest {
    @TempDir
    Path pgData;

    @Test
    void listsReadyFilesHistoryFirstThenOldestIgnoringDoneAndStrangers() throws IOException {
        Path status = Files.createDirectories(pgData.resolve("pg_wal/archive_status"));
        for (String flag : new String[] {"000000020000000000000005.ready", "000000010000000000000004.partial.ready", "00000002.history.ready",
                "000000010000000000000003.done", "000000010000000000000004.ready", "garbage.ready"}) {
            Files.createFile(status.resolve(flag));
        }
        ReadyFiles ready = new ReadyFiles(pgData);
        assertThat(ready.list()).extracting(WalFileName::name).containsExactly("00000002.history", "000000010000000000000004",
                "000000010000000000000004.partial", "000000020000000000000005");
        assertThat(ready.isReady(WalFileName.parse("000000010000000000000003"))).isFalse();
        assertThat(ready.file(WalFileName.parse("000000010000000000000004"))).isEqualTo(pgData.resolve("pg_wal/000000010000000000000004"));
    }

    @Test
    void aMissingFolderIsAnEmptyList() {
        assertThat(new ReadyFiles(pgData.resolve("nothing")).list()).isEmpty();
    }
}
