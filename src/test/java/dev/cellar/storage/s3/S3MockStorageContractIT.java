package dev.cellar.storage.s3;

import dev.cellar.storage.Storage;
import dev.cellar.storage.StorageContract;
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

    @Override
    protected Storage newStorage() {
        return S3Storage.open(server.config(bucket, "t-" + UUID.randomUUID() + "/"), server.env());
    }
}
