package dev.cellar.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStorageTest {
    @TempDir
    Path root;

    private LocalStorage storage() {
        return new LocalStorage(root);
    }

    @Test
    void lazilyCreatedObjectsAreExclusiveReadableAndFlushed() {
        LocalStorage storage = storage();
        assertThat(storage.putIfAbsentLazily("chunks/ab/abc", "one".getBytes())).isTrue();
        assertThat(storage.putIfAbsentLazily("chunks/ab/abc", "two".getBytes())).isFalse();
        assertThat(storage.putIfAbsent("chunks/ab/abc", "three".getBytes())).isFalse();
        assertThat(storage.get("chunks/ab/abc")).isEqualTo("one".getBytes());
        storage.flushLazyWrites();
        storage.flushLazyWrites();
        assertThat(storage.get("chunks/ab/abc")).isEqualTo("one".getBytes());
        assertThat(storage.list("tmp/")).isEmpty();
    }

    @Test
    void putThenGetReturnsTheBytes() {
        LocalStorage storage = storage();
        storage.put("backups/20240101T000000Z-abcdef", bytes("manifest"));

        assertThat(storage.get("backups/20240101T000000Z-abcdef")).isEqualTo(bytes("manifest"));
        assertThat(storage.exists("backups/20240101T000000Z-abcdef")).isTrue();
        assertThat(storage.size("backups/20240101T000000Z-abcdef")).isEqualTo(8);
    }

    @Test
    void putReplacesAnExistingObject() {
        LocalStorage storage = storage();
        storage.put("locks/a.lock", bytes("first"));
        storage.put("locks/a.lock", bytes("second, longer"));

        assertThat(storage.get("locks/a.lock")).isEqualTo(bytes("second, longer"));
    }

    @Test
    void emptyObjectIsStoredAndReadAsEmpty() {
        LocalStorage storage = storage();
        storage.put("empty", new byte[0]);

        assertThat(storage.get("empty")).isEmpty();
        assertThat(storage.size("empty")).isZero();
    }

    @Test
    void missingObjectIsReportedByNoSuchObjectException() {
        LocalStorage storage = storage();

        assertThat(storage.exists("chunks/ab/abc")).isFalse();
        assertThatThrownBy(() -> storage.get("chunks/ab/abc"))
                .isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining("chunks/ab/abc")
                .satisfies(e -> assertThat(((NoSuchObjectException) e).key()).isEqualTo("chunks/ab/abc"));
        assertThatThrownBy(() -> storage.size("chunks/ab/abc")).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void listReturnsKeysUnderThePrefixInLexicographicOrder() {
        LocalStorage storage = storage();
        for (String key : List.of("chunks/ff/ff01", "chunks/0a/0a99", "chunks/0a/0a10", "chunks/a0/a0b1", "backups/x", "chunksx/y")) {
            storage.put(key, bytes(key));
        }

        assertThat(storage.list("chunks/")).containsExactly("chunks/0a/0a10", "chunks/0a/0a99", "chunks/a0/a0b1", "chunks/ff/ff01");
        assertThat(storage.list("chunks/0a/")).containsExactly("chunks/0a/0a10", "chunks/0a/0a99");
        assertThat(storage.list("backups/")).containsExactly("backups/x");
    }

    @Test
    void listOrdersNestedKeysAsWholeStrings() {
        LocalStorage storage = storage();
        for (String key : List.of("audit/b", "audit/a/z", "audit/a-1", "audit/a/b/c", "audit/A")) {
            storage.put(key, bytes(key));
        }

        List<String> keys = storage.list("audit/");

        assertThat(keys).containsExactly("audit/A", "audit/a-1", "audit/a/b/c", "audit/a/z", "audit/b");
        assertThat(keys).isSorted();
    }

    @Test
    void listOfMissingPrefixIsEmpty() {
        assertThat(storage().list("backups/")).isEmpty();
    }

    @Test
    void putIfAbsentCreatesOnlyWhenTheKeyIsFree() {
        LocalStorage storage = storage();

        assertThat(storage.putIfAbsent("audit/000000000001.json", bytes("first"))).isTrue();
        assertThat(storage.putIfAbsent("audit/000000000001.json", bytes("second"))).isFalse();

        assertThat(storage.get("audit/000000000001.json")).isEqualTo(bytes("first"));
    }

    @Test
    void deleteRemovesTheObjectAndToleratesAMissingOne() {
        LocalStorage storage = storage();
        storage.put("locks/a.lock", bytes("x"));

        storage.delete("locks/a.lock");

        assertThat(storage.exists("locks/a.lock")).isFalse();
        assertThatCode(() -> storage.delete("locks/a.lock")).doesNotThrowAnyException();
        assertThatCode(() -> storage.delete("never/there")).doesNotThrowAnyException();
    }

    @Test
    void keyEscapingTheRootIsRejected(@TempDir Path parent) throws Exception {
        // the storage root sits in a folder of this test's own, so "nothing escaped" is a fact
        // about that folder and not about whatever other programs left in the shared temp folder
        LocalStorage storage = new LocalStorage(Files.createDirectory(parent.resolve("root")));

        assertThatThrownBy(() -> storage.put("../x", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.putIfAbsent("chunks/../../x", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.get("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.delete("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.list("../")).isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> beside = Files.list(parent)) {
            assertThat(beside.map(p -> p.getFileName().toString())).containsExactly("root");
        }
    }

    @Test
    void putsLeaveNoTemporaryFiles() throws Exception {
        LocalStorage storage = storage();
        storage.put("a/b", bytes("1"));
        storage.put("a/b", bytes("2"));
        storage.putIfAbsent("a/c", bytes("3"));
        storage.putIfAbsent("a/c", bytes("4"));

        assertThat(storage.list("tmp/")).isEmpty();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')))
                    .containsExactlyInAnyOrder("a/b", "a/c");
        }
    }

    @Test
    void concurrentPutIfAbsentOfTheSameKeyHasExactlyOneWinner() throws Exception {
        LocalStorage storage = storage();
        int threads = 8;
        for (int round = 0; round < 20; round++) {
            String key = "audit/" + round + ".json";
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] content = bytes("writer " + t);
                    Callable<Boolean> attempt = () -> {
                        start.await();
                        return storage.putIfAbsent(key, content);
                    };
                    results.add(pool.submit(attempt));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    if (results.get(t).get()) {
                        winners.add(t);
                    }
                }

                assertThat(winners).as("round %d", round).hasSize(1);
                assertThat(storage.get(key)).isEqualTo(bytes("writer " + winners.get(0)));
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(storage.list("tmp/")).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
