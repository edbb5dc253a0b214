package dev.cellar.storage.s3;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.CorruptObjectException;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.s3.FaultInjectingProxy.Fault;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real repository on the S3 driver behind the fault proxy: a chunk damaged in transit is
 * retried to a good copy; damage the storage layer cannot see (an object damaged at rest, whose
 * ETag matches its damaged bytes) is caught by the repository's AES-GCM authentication.
 */
class S3RepositoryIntegrityIT {
    private static S3ProxyServer server;
    private static FaultInjectingProxy proxy;
    private static S3Storage storage;
    private static Repository repository;

    @BeforeAll
    static void createRepository() {
        server = S3ProxyServer.start();
        proxy = FaultInjectingProxy.start(server.endpoint());
        storage = S3Storage.open(S3FaultInjectionIT.throughProxy(server.newRepository(), proxy), server.env(), S3FaultInjectionIT.FAST,
                Clock.systemUTC());
        repository = Repository.init(storage, RepositorySecret.passphrase("s3 integrity".toCharArray()), ChunkerParameters.DEFAULT,
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        storage.close();
        proxy.close();
        server.close();
    }

    private static ChunkRef storeChunk(long seed) {
        byte[] data = new byte[100_000];
        new Random(seed).nextBytes(data);
        String id = repository.chunks().idOf(data, 0, data.length);
        return repository.chunks().put(id, data, 0, data.length, new ZstdCodec(1)).ref();
    }

    private static String keyOf(ChunkRef ref) {
        return "chunks/" + ref.id().substring(0, 2) + "/" + ref.id();
    }

    @Test
    void aChunkDamagedInTransitIsReadFromAGoodCopy() {
        ChunkRef ref = storeChunk(1);
        byte[] expected = repository.chunks().get(ref);
        proxy.inject("GET", keyOf(ref), Fault.FLIP_BODY_BYTE, 1);
        proxy.inject("GET", keyOf(ref), Fault.TRUNCATE_BODY, 1);

        assertThat(repository.chunks().get(ref)).isEqualTo(expected);
        assertThat(proxy.applied()).hasSize(2);
        proxy.reset();
    }

    @Test
    void aChunkDamagedOnEveryAttemptIsAnErrorNotWrongData() {
        ChunkRef ref = storeChunk(2);
        proxy.inject("GET", keyOf(ref), Fault.FLIP_BODY_BYTE, 100);

        assertThatThrownBy(() -> repository.chunks().get(ref))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        proxy.reset();
    }

    @Test
    void aChunkDamagedAtRestIsRejectedByTheRepositoryAsCorrupt() {
        ChunkRef ref = storeChunk(3);
        String objectKey = storage.keyPrefix() + keyOf(ref);
        try (S3Client admin = server.adminClient()) {
            String bucket = storage.describe().substring("s3://".length()).split("/")[0];
            byte[] stored = admin.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey)).asByteArray();
            stored[stored.length / 2] ^= 0x01;
            admin.putObject(b -> b.bucket(bucket).key(objectKey), RequestBody.fromBytes(stored));
        }

        assertThatThrownBy(() -> repository.chunks().get(ref))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(keyOf(ref))
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.INTEGRITY));
    }
}
