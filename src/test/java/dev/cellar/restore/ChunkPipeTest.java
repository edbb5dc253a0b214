package dev.cellar.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ChunkPipeTest {

    @Test
    void chunksLargerThanTheWholePipeArriveIntactThroughItsFewSegments() throws Exception {
        ChunkPipe pipe = new ChunkPipe(4, 1000);
        byte[] expected = new byte[200_000];
        new Random(42).nextBytes(expected);
        Thread writer = new Thread(() -> {
            try (OutputStream out = pipe.sink()) {
                // chunks of uneven sizes, several of them bigger than the 4,000 bytes the pipe holds
                int[] sizes = {1, 999, 1000, 1001, 7000, 35_000, 3};
                int at = 0;
                for (int i = 0; at < expected.length; i++) {
                    int n = Math.min(sizes[i % sizes.length], expected.length - at);
                    out.write(expected, at, n);
                    at += n;
                }
            } catch (IOException e) {
                pipe.fail(e);
            }
        });
        writer.start();

        byte[] read = pipe.source().readAllBytes();
        writer.join();

        assertThat(read).isEqualTo(expected);
        assertThat(pipe.segmentsAllocated()).isLessThanOrEqualTo(4);
        assertThat(pipe.capacityBytes()).isEqualTo(4000);
    }

    @Test
    void aWriterFailureReachesTheReaderAsThatFailureAfterTheBytesBeforeIt() throws Exception {
        ChunkPipe pipe = new ChunkPipe(4, 1000);
        CellarException damaged = new CellarException(ErrorCode.INTEGRITY, "chunk abc failed authentication");
        Thread writer = new Thread(() -> {
            try {
                pipe.sink().write(new byte[2500], 0, 2500);
                pipe.fail(damaged);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();

        InputStream in = pipe.source();
        byte[] before = new byte[2500];
        assertThat(in.readNBytes(before, 0, 2500)).isEqualTo(2500);
        assertThatThrownBy(in::read).isSameAs(damaged);
        writer.join();
    }

    @Test
    void aReaderThatGivesUpReleasesAWriterBlockedOnTheFullPipe() throws Exception {
        ChunkPipe pipe = new ChunkPipe(2, 100);
        AtomicReference<Throwable> writerSaw = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                pipe.sink().write(new byte[10_000], 0, 10_000);
            } catch (IOException | RuntimeException e) {
                writerSaw.set(e);
            }
        });
        writer.start();
        assertThat(pipe.source().read()).isZero();

        pipe.abandon();
        writer.join(10_000);

        assertThat(writer.isAlive()).isFalse();
        assertThat(writerSaw.get()).isInstanceOf(IOException.class).hasMessageContaining("stopped reading");
    }
}
