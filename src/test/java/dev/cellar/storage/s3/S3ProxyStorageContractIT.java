package dev.cellar.storage.s3;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.Storage;
import dev.cellar.storage.StorageContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The storage contract on the S3 driver against S3Proxy, which needs checksum-mode when-required. */
class S3ProxyStorageContractIT extends StorageContract {
    private static S3ProxyServer server;
    private static String bucket;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.start();
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

    @Test
    void describeNamesBucketAndPrefix() {
        assertThat(storage.describe()).startsWith("s3://" + bucket + "/t-").endsWith("/");
        assertThat(((S3Storage) storage).keyPrefix()).startsWith("t-").endsWith("/");
    }

    @Test
    void missingBucketIsAnInvalidRepositoryNamingTheBucket() {
        try (S3Storage missing = S3Storage.open(server.config("no-such-bucket-here", "r/"), server.env())) {
            assertThatThrownBy(() -> missing.get("cellar.json"))
                    .isInstanceOf(CellarException.class)
                    .hasMessageContaining("no-such-bucket-here")
                    .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.REPOSITORY_INVALID));
        }
    }

    @Test
    void wrongSecretKeyIsACredentialsError() {
        try (S3Storage wrong = S3Storage.open(server.config(bucket, "r/"),
                java.util.Map.of(TestS3Server.ACCESS_KEY_ENV, server.accessKey(), TestS3Server.SECRET_KEY_ENV, "not-the-secret"))) {
            assertThatThrownBy(() -> wrong.put("x", bytes("x")))
                    .isInstanceOf(CellarException.class)
                    .satisfies(e -> {
                        CellarException c = (CellarException) e;
                        assertThat(c.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
                        assertThat(c.getMessage()).contains("credentials");
                        assertThat(c.hint()).contains("access-key-id-env");
                    });
        }
    }

    @Test
    void unsetCredentialVariableIsAConfigErrorNamingIt() {
        assertThatThrownBy(() -> S3Storage.open(server.config(bucket, "r/"), java.util.Map.of()))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining(TestS3Server.ACCESS_KEY_ENV)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    @Test
    void bucketWithoutObjectLockHasNoRetention() {
        assertThat(storage.supportsRetention()).isFalse();
        storage.put("backups/x", bytes("x"));
        assertThat(storage.retention("backups/x")).isEmpty();
        assertThatThrownBy(() -> storage.putIfAbsentRetained("backups/y", bytes("y"),
                new dev.cellar.storage.Retention(dev.cellar.storage.Retention.Mode.COMPLIANCE, java.time.Instant.now().plusSeconds(60))))
                .isInstanceOf(CellarException.class).hasMessageContaining("Object Lock");
        assertThat(storage.exists("backups/y")).isFalse();
    }
}
