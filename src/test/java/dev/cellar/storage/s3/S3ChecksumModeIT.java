package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * checksum-mode against a server that rejects the AWS SDK's default (flexible) checksum headers.
 * S3Proxy 4.1 accepts them, so the server here is S3Proxy behind the fault proxy playing an older
 * S3-compatible server (S3Proxy 2.x, older MinIO and Ceph): a request carrying them is refused with
 * XAmzContentSHA256Mismatch (uploads) or 501 NotImplemented (the rest), as those servers answer.
 */
class S3ChecksumModeIT {
    private static S3ProxyServer server;
    private static FaultInjectingProxy legacy;
    private static String bucket;

    @BeforeAll
    static void start() {
        server = S3ProxyServer.start();
        bucket = server.createBucket();
        legacy = FaultInjectingProxy.start(server.endpoint());
        legacy.rejectFlexibleChecksums(true);
    }

    @AfterAll
    static void stop() {
        legacy.close();
        server.close();
    }

    private static S3Storage open(String prefix, S3Config.ChecksumMode mode) {
        S3Config c = server.config(bucket, prefix);
        S3Config config = new S3Config(c.bucket(), c.prefix(), legacy.endpoint(), c.region(), true, mode, null,
                c.accessKeyIdEnv(), c.secretAccessKeyEnv(), null, null, "STANDARD", "STANDARD", 2, 5, 2);
        return S3Storage.open(config, server.env(), S3Timeouts.DEFAULT, Clock.systemUTC());
    }

    @Test
    void sdkDefaultChecksumsAreRefusedWithAHintToSetWhenRequired() {
        try (S3Storage defaults = open("defaults/", S3Config.ChecksumMode.WHEN_SUPPORTED)) {
            assertThatThrownBy(() -> defaults.put("backups/x", "manifest".getBytes()))
                    .isInstanceOf(CellarException.class)
                    .hasMessageContaining("backups/x")
                    .hasMessageContaining(legacy.endpoint().toString())
                    .hasMessageContaining("default checksum headers")
                    .satisfies(e -> {
                        CellarException c = (CellarException) e;
                        assertThat(c.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
                        assertThat(c.hint()).contains("checksum-mode: when-required");
                    });
        }
        try (S3Storage required = open("defaults/", S3Config.ChecksumMode.WHEN_REQUIRED);
                S3Storage defaults = open("defaults/", S3Config.ChecksumMode.WHEN_SUPPORTED)) {
            required.put("backups/y", "manifest".getBytes());
            assertThatThrownBy(() -> defaults.get("backups/y"))
                    .isInstanceOf(CellarException.class)
                    .satisfies(e -> assertThat(((CellarException) e).hint()).contains("checksum-mode: when-required"));
        }
    }

    @Test
    void whenRequiredSendsNoFlexibleChecksumOnAnyOperation() {
        legacy.reset();
        byte[] big = new byte[11 * 1024 * 1024 + 5];
        new Random(3).nextBytes(big);
        try (S3Storage storage = open("required/", S3Config.ChecksumMode.WHEN_REQUIRED)) {
            storage.put("backups/a", "manifest".getBytes());
            assertThat(storage.putIfAbsent("chunks/ab/abc", "chunk".getBytes())).isTrue();
            assertThat(storage.putIfAbsent("chunks/ab/abc", "other".getBytes())).isFalse();
            storage.put("wal/00000001/000000010000000000000001", big);

            assertThat(storage.get("backups/a")).isEqualTo("manifest".getBytes());
            assertThat(storage.get("wal/00000001/000000010000000000000001")).isEqualTo(big);
            assertThat(storage.getRange("chunks/ab/abc", 1, 3)).isEqualTo("hun".getBytes());
            assertThat(storage.list("")).containsExactly("backups/a", "chunks/ab/abc", "wal/00000001/000000010000000000000001");
            assertThat(storage.size("backups/a")).isEqualTo(8);
            storage.delete("backups/a");
        }
        assertThat(legacy.applied()).isEmpty();
    }
}
