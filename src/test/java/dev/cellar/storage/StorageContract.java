package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link Storage} contract, as tests: every driver runs this suite (a subclass per driver and
 * server). Each test gets a new, empty storage.
 */
public abstract class StorageContract {
    protected Storage storage;

    /** A new, empty storage. */
    protected abstract Storage newStorage();

    /**
     * Whether the server behind the driver creates objects exclusively under concurrency. S3Mock
     * honours If-None-Match but checks and writes in two steps, so concurrent creators of one key
     * can all be told they won; the stored object is still one writer's whole content.
     */
    protected boolean exclusiveCreateUnderConcurrency() {
        return true;
    }

    /** An object size that the driver writes in several pieces (multipart on S3). */
    protected int multipartSizedObject() {
        return 11 * 1024 * 1024 + 123;
    }

    @BeforeEach
    void openStorage() {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() throws Exception {
        if (storage instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void readAfterWriteSeesTheObjectEverywhere() {
        storage.put("backups/20240101T000000Z-abcdef", bytes("manifest"));

        assertThat(storage.get("backups/20240101T000000Z-abcdef")).isEqualTo(bytes("manifest"));
        assertThat(storage.exists("backups/20240101T000000Z-abcdef")).isTrue();
        assertThat(storage.size("backups/20240101T000000Z-abcdef")).isEqualTo(8);
        assertThat(storage.list("backups/")).containsExactly("backups/20240101T000000Z-abcdef");
    }

    @Test
    void putReplacesAnExistingObject() {
        storage.put("locks/a.lock", bytes("first, and longer than the second"));
        storage.put("locks/a.lock", bytes("second"));

        assertThat(storage.get("locks/a.lock")).isEqualTo(bytes("second"));
        assertThat(storage.size("locks/a.lock")).isEqualTo(6);
    }

    @Test
    void emptyObjectIsStoredAndReadAsEmpty() {
        storage.put("empty", new byte[0]);

        assertThat(storage.get("empty")).isEmpty();
        assertThat(storage.size("empty")).isZero();
        assertThat(storage.getRange("empty", 0, 10)).isEmpty();
    }

    @Test
    void aReaderNeverSeesPartOfAnObjectBeingReplaced() throws Exception {
        byte[] a = filled(300_000, (byte) 'a');
        byte[] b = filled(200_000, (byte) 'b');
        storage.put("backups/current", a);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<String> torn = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> reader = pool.submit(() -> {
                while (writing.get() && torn.get() == null) {
                    byte[] seen = storage.get("backups/current");
                    reads.incrementAndGet();
                    if (!java.util.Arrays.equals(seen, a) && !java.util.Arrays.equals(seen, b)) {
                        torn.set("read " + seen.length + " bytes that are neither whole version");
                    }
                }
            });
            for (int i = 0; i < 10; i++) {
                storage.put("backups/current", i % 2 == 0 ? b : a);
            }
            writing.set(false);
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }

        assertThat(torn.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(storage.get("backups/current")).isEqualTo(a);
    }

    @Test
    void listIsAscendingFilteredByPrefixAndComplete() throws Exception {
        Random random = new Random(42);
        List<String> chunkKeys = new ArrayList<>();
        for (int i = 0; i < 1_050; i++) {
            byte[] id = new byte[8];
            random.nextBytes(id);
            String hex = HexFormat.of().formatHex(id);
            chunkKeys.add("chunks/" + hex.substring(0, 2) + "/" + hex);
        }
        List<String> others = List.of("backups/x", "chunksx/y", "wal/00000001/000000010000000000000001", "cellar.json");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : chunkKeys) {
                puts.add(pool.submit(() -> storage.put(key, bytes(key))));
            }
            for (String key : others) {
                puts.add(pool.submit(() -> storage.put(key, bytes(key))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> listed = storage.list("chunks/");
        assertThat(listed).hasSize(1_050).isSorted().containsExactlyInAnyOrderElementsOf(chunkKeys);
        String someFolder = chunkKeys.get(0).substring(0, "chunks/ab/".length());
        assertThat(storage.list(someFolder)).isNotEmpty().allMatch(k -> k.startsWith(someFolder)).isSorted()
                .containsExactlyElementsOf(chunkKeys.stream().filter(k -> k.startsWith(someFolder)).sorted().toList());
        assertThat(storage.list("backups/")).containsExactly("backups/x");
        assertThat(storage.list("nothing/")).isEmpty();
        assertThat(storage.list("")).hasSize(1_054).isSorted().contains("cellar.json", "chunksx/y");
    }

    @Test
    void rangedGetReturnsTheBytesAskedForOrFewerAtTheEnd() {
        byte[] data = random(10_000, 7);
        storage.put("chunks/ab/abcd", data);

        assertThat(storage.getRange("chunks/ab/abcd", 1_000, 500)).isEqualTo(slice(data, 1_000, 500));
        assertThat(storage.getRange("chunks/ab/abcd", 0, 1)).isEqualTo(slice(data, 0, 1));
        assertThat(storage.getRange("chunks/ab/abcd", 9_900, 500)).isEqualTo(slice(data, 9_900, 100));
        assertThat(storage.getRange("chunks/ab/abcd", 0, 20_000)).isEqualTo(data);
        assertThat(storage.getRange("chunks/ab/abcd", 10_000, 10)).isEmpty();
        assertThat(storage.getRange("chunks/ab/abcd", 50_000, 10)).isEmpty();
        assertThat(storage.getRange("chunks/ab/abcd", 5_000, 0)).isEmpty();
    }

    @Test
    void deleteRemovesTheObjectAndToleratesAMissingOne() {
        storage.put("locks/a.lock", bytes("x"));
        storage.put("locks/b.lock", bytes("y"));

        storage.delete("locks/a.lock");

        assertThat(storage.exists("locks/a.lock")).isFalse();
        assertThat(storage.list("locks/")).containsExactly("locks/b.lock");
        assertThatCode(() -> storage.delete("locks/a.lock")).doesNotThrowAnyException();
        assertThatCode(() -> storage.delete("never/there")).doesNotThrowAnyException();
    }

    @Test
    void missingObjectIsReportedByNoSuchObjectExceptionNamingTheKey() {
        assertThat(storage.exists("chunks/ab/abc")).isFalse();
        for (Runnable read : List.<Runnable>of(
                () -> storage.get("chunks/ab/abc"),
                () -> storage.size("chunks/ab/abc"),
                () -> storage.getRange("chunks/ab/abc", 0, 10),
                () -> storage.getRange("chunks/ab/abc", 0, 0))) {
            assertThatThrownBy(read::run)
                    .isInstanceOf(NoSuchObjectException.class)
                    .hasMessageContaining("chunks/ab/abc")
                    .hasMessageContaining(storage.describe());
        }
    }

    @Test
    void putIfAbsentCreatesOnlyWhenTheKeyIsFree() {
        assertThat(storage.putIfAbsent("audit/000000000001.json", bytes("first"))).isTrue();
        assertThat(storage.putIfAbsent("audit/000000000001.json", bytes("second"))).isFalse();
        assertThat(storage.putIfAbsentLazily("audit/000000000001.json", bytes("third"))).isFalse();
        storage.flushLazyWrites();

        assertThat(storage.get("audit/000000000001.json")).isEqualTo(bytes("first"));
    }

    @Test
    void concurrentWritersOfOneKeyHaveExactlyOneWinnerWhoseWholeContentIsStored() throws Exception {
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 5; round++) {
                String key = "audit/" + round + ".json";
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    byte[] content = content(w, round);
                    results.add(pool.submit(() -> {
                        start.await();
                        return storage.putIfAbsent(key, content);
                    }));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    if (results.get(w).get(60, TimeUnit.SECONDS)) {
                        winners.add(w);
                    }
                }

                byte[] stored = storage.get(key);
                if (exclusiveCreateUnderConcurrency()) {
                    assertThat(winners).as("round %d", round).hasSize(1);
                    assertThat(stored).isEqualTo(content(winners.get(0), round));
                } else {
                    assertThat(winners).as("round %d", round).isNotEmpty();
                    int thisRound = round;
                    assertThat(winners.stream().map(w -> content(w, thisRound)))
                            .as("round %d: the stored object is one writer's whole content", round)
                            .anySatisfy(c -> assertThat(stored).isEqualTo(c));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void multipartSizedObjectRoundTrips() {
        byte[] data = random(multipartSizedObject(), 11);
        assertThat(storage.putIfAbsent("wal/00000001/000000010000000000000002", data)).isTrue();
        assertThat(storage.putIfAbsent("wal/00000001/000000010000000000000002", random(multipartSizedObject(), 12))).isFalse();

        assertThat(storage.get("wal/00000001/000000010000000000000002")).isEqualTo(data);
        assertThat(storage.size("wal/00000001/000000010000000000000002")).isEqualTo(data.length);
        int boundary = 5 * 1024 * 1024;
        assertThat(storage.getRange("wal/00000001/000000010000000000000002", boundary - 10, 20)).isEqualTo(slice(data, boundary - 10, 20));

        byte[] replacement = random(multipartSizedObject() - 1_000, 13);
        storage.put("wal/00000001/000000010000000000000002", replacement);
        assertThat(storage.get("wal/00000001/000000010000000000000002")).isEqualTo(replacement);
    }

    @Test
    void readDecodesTheObjectAndPassesOnTheDecodersVerdict() {
        storage.put("backups/m", bytes("{\"v\":1}"));

        String decoded = storage.read("backups/m", b -> new String(b, StandardCharsets.UTF_8));
        assertThat(decoded).isEqualTo("{\"v\":1}");
        assertThatThrownBy(() -> storage.read("backups/m", b -> {
            throw new CellarException(ErrorCode.INTEGRITY, "object backups/m is corrupt");
        })).isInstanceOf(CellarException.class).satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.INTEGRITY));
        assertThatThrownBy(() -> storage.read("backups/none", b -> b)).isInstanceOf(NoSuchObjectException.class);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] content(int writer, int round) {
        // different lengths too, so that a mix of two writers' bytes cannot pass for one
        return bytes(("writer " + writer + " round " + round + " ").repeat(200 + writer * 37));
    }

    private static byte[] filled(int size, byte value) {
        byte[] data = new byte[size];
        java.util.Arrays.fill(data, value);
        return data;
    }

    private static byte[] slice(byte[] data, int offset, int length) {
        return java.util.Arrays.copyOfRange(data, offset, offset + length);
    }
}
