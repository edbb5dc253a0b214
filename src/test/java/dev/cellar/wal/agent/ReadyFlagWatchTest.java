package dev.cellar.wal.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyFlagWatchTest {
    @TempDir
    Path archiveStatus;

    @Test
    void aNewReadyFlagWakesTheWaitLongBeforeItsEnd() throws Exception {
        try (ReadyFlagWatch watch = ReadyFlagWatch.on(archiveStatus)) {
            assertThat(watch.watching()).isTrue();
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    watch.await(Duration.ofMinutes(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(200);
            Files.createFile(archiveStatus.resolve("000000010000000000000003.ready"));

            waiting.get(60, TimeUnit.SECONDS);
            assertThat(waiting).isDone();
        }
    }

    @Test
    void aFolderThatIsNotThereOnlySleeps() throws Exception {
        try (ReadyFlagWatch watch = ReadyFlagWatch.on(archiveStatus.resolve("missing"))) {
            assertThat(watch.watching()).isFalse();
            watch.await(Duration.ofMillis(10));
        }
    }
}
