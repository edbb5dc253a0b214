package dev.cellar.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.CheapKdfRepositories;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.repo.RepositoryNotices;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.WriteRefusedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bucket whose credentials only allow reads, played by the fault proxy in front of S3Proxy
 * (S3Proxy has one identity with every right): every PUT and DELETE answers 403 AccessDenied, as
 * AWS answers a key without s3:PutObject. Reading commands go on without a lock and without an
 * audit append; writers get an error that names the read-only key.
 */
class S3ReadOnlyCredentialsIT {
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("read-only-bucket-it-passphrase");

    private static S3ProxyServer server;
    private static FaultInjectingProxy readOnlyKey;
    private static S3Storage direct;
    private static S3Storage throughReadOnlyKey;

    @BeforeAll
    static void repositoryInABucket() {
        server = S3ProxyServer.start();
        String bucket = server.createBucket();
        String prefix = "ro-" + UUID.randomUUID() + "/";
        direct = S3Storage.open(server.config(bucket, prefix), server.env(), S3FaultInjectionIT.FAST, Clock.systemUTC());
        CheapKdfRepositories.init(direct, PASSPHRASE).audit().append("init", "bucket", AuditRecord.OK, "", 0, null);
        readOnlyKey = FaultInjectingProxy.start(server.endpoint())
                .answer("PUT", "/", 403, "AccessDenied", Integer.MAX_VALUE)
                .answer("DELETE", "/", 403, "AccessDenied", Integer.MAX_VALUE)
                .answer("POST", "/", 403, "AccessDenied", Integer.MAX_VALUE);
        throughReadOnlyKey = S3Storage.open(S3FaultInjectionIT.throughProxy(server.config(bucket, prefix), readOnlyKey), server.env(),
                S3FaultInjectionIT.FAST, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        throughReadOnlyKey.close();
        direct.close();
        readOnlyKey.close();
        server.close();
    }

    @Test
    void aReaderGoesOnWithoutALockOrAnAuditRecordAndTheBucketIsUnchanged() {
        List<String> before = direct.list("");
        Repository repository = Repository.open(throughReadOnlyKey, RepositorySecret.passphrase(PASSPHRASE.toCharArray()), Clock.systemUTC());
        List<String> told = new ArrayList<>();
        repository.notices().tellTo(told::add);

        try (RepositoryLock.Held lock = repository.locks().acquireForReading("restore logical x", Duration.ZERO)) {
            assertThat(lock.locked()).isFalse();
        }
        repository.audit().appendForReading("restore.logical", "shop_copy", AuditRecord.OK, "x", 0, Duration.ZERO);

        assertThat(direct.list("")).isEqualTo(before);
        assertThat(told).singleElement().asString().contains("credentials that only allow reads").contains("without a lock");
        RepositoryNotices.ReadOnly readOnly = repository.notices().summary().readOnly();
        assertThat(readOnly.auditNotRecorded()).extracting(RepositoryNotices.NotRecorded::operation).containsExactly("restore.logical");
        assertThat(repository.audit().read(0).records()).extracting(AuditRecord::operation).containsExactly("init");
    }

    @Test
    void aWriterIsRefusedNamingTheReadOnlyKey() {
        Repository repository = Repository.open(throughReadOnlyKey, RepositorySecret.passphrase(PASSPHRASE.toCharArray()), Clock.systemUTC());

        assertThatThrownBy(() -> repository.locks().acquireShared("backup logical shop", Duration.ZERO))
                .isInstanceOfSatisfying(WriteRefusedException.class, e -> {
                    assertThat(e.key()).startsWith("locks/");
                    assertThat(e.getMessage()).contains("AccessDenied").contains("only allow reads");
                });
    }
}
