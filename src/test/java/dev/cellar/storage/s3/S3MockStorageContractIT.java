package dev.cellar.storage.s3;

import dev.cellar.storage.Storage;
import dev.cellar.storage.StorageContract;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on the S3 driver against S3Mock, with the SDK's default checksums (when-supported). */
class S3MockStorageContractIT extends StorageContract {
    private static S3MockServer server;
    private static String bucket;

    @BeforeAll
    static void startServer() {
        server = S3MockServer.start();
        bucket = server.createBucket();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /**
     * S3Mock replaces an object's file while a GET of it may be streaming: the GET then stalls short
     * of its Content-Length. The driver waits for the socket timeout and reads again (never
     * returning the short body); a 5 s timeout keeps that wait short.
     */
    private static final S3Timeouts STALL_TOLERANT = new S3Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60),
            Duration.ofMillis(50), Duration.ofSeconds(2));

    /** S3Mock 4.11 checks If-None-Match and writes in two steps: see the contract's note. */
    @Override
    protected boolean exclusiveCreateUnderConcurrency() {
        return false;
    }

    @Override
    protected Storage newStorage() {
        return S3Storage.open(server.config(bucket, "t-" + UUID.randomUUID() + "/"), server.env(), STALL_TOLERANT, Clock.systemUTC());
    }
}
