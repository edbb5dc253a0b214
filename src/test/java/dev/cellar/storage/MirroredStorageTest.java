package dev.cellar.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.s3.S3Storage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirroredStorageTest {
    private static final byte[] DATA = "sealed chunk".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final List<MirroredStorage.Warning> warnings = new CopyOnWriteArrayList<>();

    private MirroredStorage mirror(Storage local, Storage cloud) {
        return new MirroredStorage(List.of(new MirroredStorage.Member("local", local), new MirroredStorage.Member("cloud", cloud)),
                warnings::add);
    }

    /** A folder storage whose root lies under a regular file: every write fails with a real I/O error until the file goes. */
    private Path blockedRoot() throws Exception {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "not a folder");
        return blocker.resolve("repo");
    }

    @Test
    void everyWriteLandsInEveryCopyByteForByte() {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        LocalStorage cloud = new LocalStorage(dir.resolve("cloud"));
        MirroredStorage mirror = mirror(local, cloud);

        assertThat(mirror.putIfAbsent("backups/one", DATA)).isTrue();
        assertThat(mirror.putIfAbsentLazily("chunks/ab/abc", DATA)).isTrue();
        mirror.flushLazyWrites();
        mirror.put("locks/x.lock", DATA);
        mirror.delete("locks/x.lock");

        for (Storage copy : List.of(local, cloud)) {
            assertThat(copy.get("backups/one")).isEqualTo(DATA);
            assertThat(copy.get("chunks/ab/abc")).isEqualTo(DATA);
            assertThat(copy.exists("locks/x.lock")).isFalse();
        }
        assertThat(mirror.putIfAbsent("backups/one", "other".getBytes())).isFalse();
        assertThat(mirror.fellBehind()).isEmpty();
        assertThat(warnings).isEmpty();
        assertThat(mirror.describe()).isEqualTo("local=" + local.describe() + ", cloud=" + cloud.describe());
    }

    @Test
    void aCopyThatFailsAWriteFallsBehindForTheRestOfTheRunAndTheWriteStillSucceeds() throws Exception {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        Path cloudRoot = blockedRoot();
        MirroredStorage mirror = mirror(local, new LocalStorage(cloudRoot));

        assertThat(mirror.putIfAbsentLazily("chunks/ab/abc", DATA)).isTrue();

        assertThat(local.get("chunks/ab/abc")).isEqualTo(DATA);
        assertThat(mirror.fellBehind()).containsExactly("cloud");
        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(MirroredStorage.Warning.Kind.FELL_BEHIND);
            assertThat(w.member()).isEqualTo("cloud");
            assertThat(w.message()).contains("cloud", "chunks/ab/abc", cloudRoot.toString());
        });

        // the copy works again, but it missed a chunk: the manifest must not land there alone
        Files.delete(cloudRoot.getParent());
        assertThat(mirror.putIfAbsent("backups/one", DATA)).isTrue();
        assertThat(Files.exists(cloudRoot.resolve("backups/one"))).isFalse();
        assertThat(mirror.exists("backups/one")).as("a copy behind is not asked").isTrue();
        assertThat(warnings).hasSize(1);
    }

    /** A real S3 client aimed at a loopback port nobody listens on, one attempt per request. */
    private static Storage unreachableBucket() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        S3Config config = new S3Config("cellar", "", URI.create("http://127.0.0.1:" + port), "us-east-1", true,
                S3Config.ChecksumMode.WHEN_REQUIRED, null, "TEST_KEY_ID", "TEST_SECRET", null, null, "STANDARD", "STANDARD", 1, 8, 1);
        return S3Storage.open(config, Map.of("TEST_KEY_ID", "id", "TEST_SECRET", "secret"));
    }

    @Test
    void aFirstCopyThatCannotBeReachedFallsBehindAndTheNextCopyTakesTheWritesAndAnswersTheReads() throws Exception {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        MirroredStorage mirror = new MirroredStorage(List.of(new MirroredStorage.Member("cloud", unreachableBucket()),
                new MirroredStorage.Member("local", local)), warnings::add);

        assertThat(mirror.exists("chunks/ab/abc")).isFalse();
        assertThat(mirror.putIfAbsentLazily("chunks/ab/abc", DATA)).isTrue();
        mirror.put("backups/one", DATA);
        assertThat(mirror.putIfAbsent("backups/one", DATA)).as("the answer of the copy that decides now").isFalse();

        assertThat(local.get("backups/one")).isEqualTo(DATA);
        assertThat(mirror.fellBehind()).containsExactly("cloud");
        assertThat(mirror.get("chunks/ab/abc")).isEqualTo(DATA);
        assertThat(mirror.list("chunks/")).containsExactly("chunks/ab/abc");
        assertThat(warnings).extracting(MirroredStorage.Warning::kind).as("said once each, the dead copy not asked again")
                .containsExactlyInAnyOrder(MirroredStorage.Warning.Kind.UNREACHABLE, MirroredStorage.Warning.Kind.FELL_BEHIND);
        assertThat(warnings).allSatisfy(w -> assertThat(w.member()).isEqualTo("cloud"));
    }

    @Test
    void whenNoCopyCanBeReachedTheWriteFails() throws Exception {
        MirroredStorage mirror = new MirroredStorage(List.of(new MirroredStorage.Member("cloud", unreachableBucket()),
                new MirroredStorage.Member("other", unreachableBucket())), warnings::add);

        assertThatThrownBy(() -> mirror.put("backups/one", DATA)).isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        assertThatThrownBy(() -> mirror.get("backups/one")).isInstanceOf(CellarException.class);
    }

    @Test
    void aWriteTheFirstCopyRefusesFails() throws Exception {
        LocalStorage cloud = new LocalStorage(dir.resolve("cloud"));
        MirroredStorage mirror = mirror(new LocalStorage(blockedRoot()), cloud);

        assertThatThrownBy(() -> mirror.put("backups/one", DATA)).isInstanceOf(CellarException.class);
    }

    @Test
    void readsFallBackToTheNextCopyWhenTheObjectIsMissing() {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        LocalStorage cloud = new LocalStorage(dir.resolve("cloud"));
        MirroredStorage mirror = mirror(local, cloud);
        mirror.put("backups/one", DATA);
        local.delete("backups/one");

        assertThat(mirror.get("backups/one")).isEqualTo(DATA);
        assertThat(mirror.size("backups/one")).isEqualTo(DATA.length);
        assertThat(mirror.getRange("backups/one", 7, 5)).isEqualTo("chunk".getBytes(StandardCharsets.UTF_8));
        assertThat(mirror.exists("backups/one")).isFalse();
        assertThat(warnings).hasSize(3).allSatisfy(w -> {
            assertThat(w.kind()).isEqualTo(MirroredStorage.Warning.Kind.READ_FALLBACK);
            assertThat(w.message()).isEqualTo("backups/one missing in local, read from cloud");
        });
    }

    @Test
    void readsFallBackWhenTheDecoderFindsTheFirstCopyDamaged() {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        LocalStorage cloud = new LocalStorage(dir.resolve("cloud"));
        MirroredStorage mirror = mirror(local, cloud);
        mirror.put("backups/one", DATA);
        byte[] flipped = DATA.clone();
        flipped[3] ^= 1;
        local.put("backups/one", flipped);

        assertThat(mirror.read("backups/one", checked())).isEqualTo("sealed chunk");
        assertThat(warnings).singleElement().extracting(MirroredStorage.Warning::message)
                .isEqualTo("backups/one damaged in local, read from cloud");
    }

    @Test
    void whenNoCopyCanAnswerTheFirstCopysErrorIsThrown() {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        LocalStorage cloud = new LocalStorage(dir.resolve("cloud"));
        MirroredStorage mirror = mirror(local, cloud);
        cloud.put("backups/one", "damaged too".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> mirror.read("backups/one", checked()))
                .isInstanceOf(NoSuchObjectException.class).hasMessageContaining(local.describe());
        local.put("backups/one", "damaged".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> mirror.read("backups/one", checked()))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY))
                .hasMessageContaining("local copy");
    }

    @Test
    void anErrorThatIsNotAboutTheObjectIsNotHiddenByAnotherCopy() {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        LocalStorage cloud = new LocalStorage(dir.resolve("cloud"));
        MirroredStorage mirror = mirror(local, cloud);
        mirror.put("backups/one", DATA);

        assertThatThrownBy(() -> mirror.read("backups/one", bytes -> {
            throw new CellarException(ErrorCode.INTERRUPTED, "stopped");
        })).hasMessage("stopped");
        assertThat(warnings).isEmpty();
    }

    @Test
    void listingIsTheSortedUnionOfTheCopiesAndExistsAsksEveryCopy() {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        LocalStorage cloud = new LocalStorage(dir.resolve("cloud"));
        MirroredStorage mirror = mirror(local, cloud);
        local.put("backups/b", DATA);
        local.put("backups/c", DATA);
        cloud.put("backups/a", DATA);
        cloud.put("backups/c", DATA);

        assertThat(mirror.list("backups/")).containsExactly("backups/a", "backups/b", "backups/c");
        assertThat(mirror.exists("backups/a")).isFalse();
        assertThat(mirror.exists("backups/b")).isFalse();
        assertThat(mirror.exists("backups/c")).isTrue();
    }

    @Test
    void aChunkOneCopyLacksIsWrittenAgainAndOnlyThatCopyGainsIt() {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        LocalStorage cloud = new LocalStorage(dir.resolve("cloud"));
        MirroredStorage mirror = mirror(local, cloud);
        local.put("chunks/ab/abc", DATA);

        assertThat(mirror.exists("chunks/ab/abc")).isFalse();
        assertThat(mirror.putIfAbsentLazily("chunks/ab/abc", "again".getBytes())).as("created in the first copy?").isFalse();
        assertThat(local.get("chunks/ab/abc")).isEqualTo(DATA);
        assertThat(cloud.get("chunks/ab/abc")).isEqualTo("again".getBytes());
    }

    @Test
    void aCopyFoundUnreachableThroughTheMirrorFailsAtOnceThroughItsOwnViewAndAskEachLeavesItOut() throws Exception {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        MirroredStorage mirror = mirror(local, unreachableBucket());
        local.put("backups/one", DATA);

        assertThat(mirror.list("backups/")).containsExactly("backups/one");
        assertThat(mirror.unreachable()).containsExactly("cloud");
        long started = System.nanoTime();
        assertThatThrownBy(() -> mirror.member("cloud").list("backups/"))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE))
                .hasMessageContaining("copy 'cloud'").hasMessageContaining("could not be reached earlier in this run");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("not asked again").isLessThan(java.time.Duration.ofMillis(200));
        assertThat(mirror.askEach(s -> s.list("backups/"))).containsOnlyKeys("local");
        assertThat(mirror.member("local").get("backups/one")).isEqualTo(DATA);
        assertThat(warnings).filteredOn(w -> w.kind() == MirroredStorage.Warning.Kind.UNREACHABLE).hasSize(1);
    }

    @Test
    void aCopyFoundUnreachableThroughItsOwnViewIsLeftOutOfTheMirrorsReads() throws Exception {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        MirroredStorage mirror = new MirroredStorage(List.of(new MirroredStorage.Member("cloud", unreachableBucket()),
                new MirroredStorage.Member("local", local)), warnings::add);
        local.put("backups/one", DATA);

        assertThatThrownBy(() -> mirror.member("cloud").exists("backups/one")).isInstanceOf(CellarException.class);

        assertThat(mirror.unreachable()).containsExactly("cloud");
        assertThat(mirror.get("backups/one")).as("answered by local without a fallback").isEqualTo(DATA);
        assertThat(warnings).extracting(MirroredStorage.Warning::kind).containsExactly(MirroredStorage.Warning.Kind.UNREACHABLE);
    }

    @Test
    void aReadOnlyCopyRefusingAWriteIsNotTakenForAnUnreachableOne() throws Exception {
        LocalStorage local = new LocalStorage(dir.resolve("local"));
        MirroredStorage mirror = mirror(local, new ReadOnlyStorage(new LocalStorage(dir.resolve("cloud"))));

        assertThatThrownBy(() -> mirror.member("cloud").put("locks/x", DATA)).isInstanceOf(WriteRefusedException.class);
        assertThat(mirror.unreachable()).isEmpty();
    }

    @Test
    void theViewOfOneCopyPassesOnEveryStorageMethod() throws Exception {
        Class<?> view = mirror(new LocalStorage(dir.resolve("local")), new LocalStorage(dir.resolve("cloud"))).member("local").getClass();
        for (java.lang.reflect.Method method : Storage.class.getMethods()) {
            if (!java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                assertThat(view.getDeclaredMethod(method.getName(), method.getParameterTypes()))
                        .as("a new Storage method must be passed on to the copy, not left to the interface's default: " + method).isNotNull();
            }
        }
    }

    /** A decoder that checks the bytes like a sealed object's authentication would. */
    private static Function<byte[], String> checked() {
        return bytes -> {
            if (!Arrays.equals(bytes, DATA)) {
                throw new CellarException(ErrorCode.INTEGRITY, "object in the " + (bytes.length == 7 ? "local" : "other") + " copy is corrupt");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        };
    }
}
