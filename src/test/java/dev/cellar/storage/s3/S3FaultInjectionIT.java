package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.s3.FaultInjectingProxy.Fault;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 driver through a proxy that injects faults in front of a real S3 server (S3Proxy):
 * transient faults are retried until the operation succeeds, damaged transfers are never
 * accepted, and a fault that outlasts every attempt is one clear error naming the endpoint.
 */
class S3FaultInjectionIT {
    static final int MAX_ATTEMPTS = 4;
    /** Short, so that a delayed answer costs seconds, not minutes; long enough for a 5 MiB part on a busy 2-core machine. */
    static final S3Timeouts FAST = new S3Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(2),
            Duration.ofMillis(10), Duration.ofMillis(200));

    private static S3ProxyServer server;
    private static String bucket;
    private FaultInjectingProxy proxy;
    private S3Storage storage;
    private String prefix;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.start();
        bucket = server.createBucket();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void openThroughProxy() {
        proxy = FaultInjectingProxy.start(server.endpoint());
        prefix = "f-" + UUID.randomUUID() + "/";
        storage = S3Storage.open(throughProxy(server.config(bucket, prefix), proxy), server.env(), FAST, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        storage.close();
        proxy.close();
    }

    static S3Config throughProxy(S3Config c, FaultInjectingProxy proxy) {
        return new S3Config(c.bucket(), c.prefix(), proxy.endpoint(), c.region(), c.pathStyle(), c.checksumMode(), c.caBundle(),
                c.accessKeyIdEnv(), c.secretAccessKeyEnv(), c.profile(), null, c.storageClass(), c.walStorageClass(), MAX_ATTEMPTS,
                c.partSizeMib(), c.uploadThreads());
    }

    @Test
    void serverErrorsThrottlingAndResetsAreRetriedUntilTheOperationSucceeds() {
        byte[] data = random(100_000, 1);
        proxy.inject("PUT", "backups/one", Fault.INTERNAL_ERROR, 2);
        proxy.inject("PUT", "backups/one", Fault.SLOW_DOWN, 1);
        storage.put("backups/one", data);

        proxy.inject("GET", "backups/one", Fault.SLOW_DOWN, 2);
        proxy.inject("GET", "backups/one", Fault.RESET, 1);
        assertThat(storage.get("backups/one")).isEqualTo(data);

        proxy.inject("HEAD", "backups/one", Fault.RESET, 1);
        proxy.inject("HEAD", "backups/one", Fault.INTERNAL_ERROR, 1);
        assertThat(storage.size("backups/one")).isEqualTo(data.length);

        proxy.inject("GET", "list-type=2", Fault.SLOW_DOWN, 1);
        proxy.inject("GET", "list-type=2", Fault.RESET, 1);
        assertThat(storage.list("backups/")).containsExactly("backups/one");

        proxy.inject("PUT", "audit/1", Fault.INTERNAL_ERROR, 1);
        assertThat(storage.putIfAbsent("audit/1", data)).isTrue();

        assertThat(proxy.applied()).hasSize(11);
    }

    @Test
    void aResetAfterTheServerStoredAConditionalPutStillCountsAsThisWritersCreation() {
        // the PUT reaches the server, its answer is lost, the SDK retries and the server says 412
        proxy.inject("PUT", "audit/2", Fault.RESET_AFTER_FORWARD, 1);

        assertThat(storage.putIfAbsent("audit/2", random(1_000, 2))).isTrue();
        assertThat(storage.putIfAbsent("audit/2", random(1_000, 3))).isFalse();
        assertThat(storage.get("audit/2")).isEqualTo(random(1_000, 2));
        assertThat(proxy.applied()).hasSize(1);
    }

    @Test
    void anAnswerDelayedBeyondTheAttemptTimeoutIsRetried() {
        byte[] data = random(50_000, 4);
        storage.put("chunks/ab/delayed", data);
        proxy.inject("GET", "chunks/ab/delayed", Fault.DELAY, Duration.ofSeconds(6), 1);

        long start = System.nanoTime();
        assertThat(storage.get("chunks/ab/delayed")).isEqualTo(data);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(proxy.applied()).containsExactly("DELAY GET /" + bucket + "/" + prefix + "chunks/ab/delayed");
        assertThat(millis).as("gave up on the delayed attempt after the 2 s attempt timeout").isBetween(1_900L, 5_900L);
    }

    @Test
    void aTruncatedBodyIsRetriedToAWholeCopy() {
        byte[] data = random(300_000, 5);
        storage.put("chunks/ab/truncated", data);
        proxy.inject("GET", "chunks/ab/truncated", Fault.TRUNCATE_BODY, 2);

        assertThat(storage.get("chunks/ab/truncated")).isEqualTo(data);
        proxy.inject("GET", "chunks/ab/truncated", Fault.TRUNCATE_BODY, 2);
        assertThat(storage.getRange("chunks/ab/truncated", 1_000, 100_000)).isEqualTo(java.util.Arrays.copyOfRange(data, 1_000, 101_000));
        assertThat(proxy.applied()).hasSize(4);
    }

    @Test
    void aFlippedByteInAWholeObjectIsCaughtByItsMd5ETagAndRetried() {
        byte[] data = random(200_000, 6);
        storage.put("chunks/ab/flipped", data);
        proxy.inject("GET", "chunks/ab/flipped", Fault.FLIP_BODY_BYTE, 2);

        assertThat(storage.get("chunks/ab/flipped")).isEqualTo(data);
        assertThat(proxy.applied()).hasSize(2);
    }

    @Test
    void aBodyDamagedOnEveryAttemptIsAnErrorNeverWrongBytes() {
        byte[] data = random(200_000, 7);
        storage.put("chunks/ab/bad", data);

        proxy.inject("GET", "chunks/ab/bad", Fault.FLIP_BODY_BYTE, 100);
        assertThatThrownBy(() -> storage.get("chunks/ab/bad"))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("chunks/ab/bad")
                .hasMessageContaining(proxy.endpoint().toString())
                .hasMessageContaining("MD5")
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        assertThat(proxy.applied()).hasSize(MAX_ATTEMPTS);

        proxy.reset();
        proxy.inject("GET", "chunks/ab/bad", Fault.TRUNCATE_BODY, 100);
        assertThatThrownBy(() -> storage.get("chunks/ab/bad"))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining(proxy.endpoint().toString())
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        proxy.reset();
        assertThat(storage.get("chunks/ab/bad")).isEqualTo(data);
    }

    @Test
    void aFaultOutlastingEveryAttemptIsStorageUnavailableNamingTheEndpoint() {
        proxy.inject("PUT", "backups/never", Fault.SLOW_DOWN, 100);

        assertThatThrownBy(() -> storage.put("backups/never", random(10, 8)))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("backups/never")
                .hasMessageContaining(proxy.endpoint().toString())
                .satisfies(e -> {
                    CellarException c = (CellarException) e;
                    assertThat(c.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
                    assertThat(c.hint()).contains(MAX_ATTEMPTS + " attempts");
                });
        assertThat(proxy.applied()).hasSize(MAX_ATTEMPTS);
        assertThat(storage.exists("backups/never")).isFalse();
    }

    @Test
    void anUnreachableEndpointIsStorageUnavailable() {
        FaultInjectingProxy closed = FaultInjectingProxy.start(server.endpoint());
        closed.close();
        try (S3Storage nowhere = S3Storage.open(throughProxy(server.config(bucket, prefix), closed), server.env(), FAST, Clock.systemUTC())) {
            assertThatThrownBy(() -> nowhere.get("cellar.json"))
                    .isInstanceOf(CellarException.class)
                    .hasMessageContaining(closed.endpoint().toString())
                    .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        }
    }

    @Test
    void aPartFailingTransientlyIsRetriedAndTheMultipartObjectIsWhole() {
        byte[] data = random(12 * 1024 * 1024, 9);
        proxy.inject("PUT", "partNumber=2", Fault.INTERNAL_ERROR, 1);
        proxy.inject("PUT", "partNumber=3", Fault.RESET, 1);

        storage.put("wal/00000001/000000010000000000000003", data);

        assertThat(storage.get("wal/00000001/000000010000000000000003")).isEqualTo(data);
        assertThat(proxy.applied()).hasSize(2);
    }

    @Test
    void aFailedMultipartUploadLeavesNoObjectAndNoPendingUpload() {
        byte[] data = random(12 * 1024 * 1024, 10);
        proxy.inject("PUT", "partNumber=2", Fault.INTERNAL_ERROR, 100);

        assertThatThrownBy(() -> storage.put("wal/00000001/000000010000000000000004", data))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));

        try (S3Client admin = server.adminClient()) {
            assertThat(admin.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents()).isEmpty();
            assertThat(admin.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads()).isEmpty();
        }
        assertThat(storage.exists("wal/00000001/000000010000000000000004")).isFalse();
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
