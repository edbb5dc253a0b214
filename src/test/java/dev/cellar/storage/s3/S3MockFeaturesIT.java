package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.ObjectArchivedException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On S3Mock behind the fault proxy, with the SDK's default checksums: storage classes per kind of
 * object, archived objects, bucket lifecycle rules, damaged downloads under CRC checksums.
 * S3Mock stores an object's class but serves GLACIER objects like any other, so the refusal of a
 * GET (InvalidObjectState, as S3 answers) comes from the fault proxy; the HEAD that follows it
 * reaches S3Mock and reports the stored class.
 */
class S3MockFeaturesIT {
    private static S3MockServer server;
    private static FaultInjectingProxy proxy;
    private static String bucket;
    private static S3Storage storage;

    @BeforeAll
    static void start() {
        server = S3MockServer.start();
        proxy = FaultInjectingProxy.start(server.endpoint());
        bucket = server.createBucket();
        S3Config c = S3FaultInjectionIT.throughProxy(server.config(bucket, "sc/"), proxy);
        S3Config config = new S3Config(c.bucket(), c.prefix(), c.endpoint(), c.region(), true, c.checksumMode(), null,
                c.accessKeyIdEnv(), c.secretAccessKeyEnv(), null, null, "STANDARD_IA", "GLACIER", 3, 5, 2);
        storage = S3Storage.open(config, server.env(), S3Timeouts.DEFAULT, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        storage.close();
        proxy.close();
        server.close();
    }

    private static String storedClass(String key) {
        try (S3Client admin = server.adminClient()) {
            String storageClass = admin.headObject(b -> b.bucket(bucket).key("sc/" + key)).storageClassAsString();
            return storageClass == null ? "STANDARD" : storageClass;
        }
    }

    @Test
    void walObjectsGetTheWalClassAndEverythingElseTheDefaultClass() {
        storage.put("wal/00000001/000000010000000000000001", new byte[100]);
        storage.putIfAbsent("chunks/ab/abcd", new byte[100]);
        storage.put("backups/m", new byte[6 * 1024 * 1024]);

        assertThat(storedClass("wal/00000001/000000010000000000000001")).isEqualTo("GLACIER");
        assertThat(storedClass("chunks/ab/abcd")).isEqualTo("STANDARD_IA");
        assertThat(storedClass("backups/m")).as("multipart upload").isEqualTo("STANDARD_IA");
    }

    @Test
    void readingAnArchivedObjectSaysSoInsteadOfFailingObscurely() {
        storage.put("wal/00000001/000000010000000000000002", new byte[100]);
        proxy.answer("GET", "000000010000000000000002", 403, "InvalidObjectState", 1);

        assertThatThrownBy(() -> storage.get("wal/00000001/000000010000000000000002"))
                .isInstanceOf(ObjectArchivedException.class)
                .hasMessageContaining("wal/00000001/000000010000000000000002")
                .hasMessageContaining("GLACIER")
                .satisfies(e -> {
                    ObjectArchivedException archived = (ObjectArchivedException) e;
                    assertThat(archived.code()).isEqualTo(ErrorCode.OBJECT_ARCHIVED);
                    assertThat(archived.storageClass()).isEqualTo("GLACIER");
                    assertThat(archived.hint()).contains("--restore-request");
                });
    }

    @Test
    void oneListingFindsTheObjectsInAnArchiveClass() {
        storage.put("wal/00000001/000000010000000000000007", new byte[10]);
        storage.putIfAbsent("chunks/77/7777", new byte[10]);

        assertThat(storage.listArchived("wal/")).contains("wal/00000001/000000010000000000000007");
        assertThat(storage.listArchived("chunks/")).isEmpty();
    }

    @Test
    void aThawIsRequestedOnlyForObjectsInAnArchiveClass() {
        storage.put("chunks/cd/cdef", new byte[10]);
        assertThat(storage.requestThaw("chunks/cd/cdef", Duration.ofDays(2))).isFalse();

        storage.put("wal/00000001/000000010000000000000003", new byte[10]);
        proxy.reset();
        // S3Mock has no RestoreObject: the proxy answers as S3 does for a thaw already under way
        proxy.answer("POST", "restore", 409, "RestoreAlreadyInProgress", 1);
        assertThat(storage.requestThaw("wal/00000001/000000010000000000000003", Duration.ofDays(2))).isTrue();
        assertThat(proxy.applied()).singleElement().asString()
                .startsWith("ERROR POST /" + bucket + "/sc/wal/00000001/000000010000000000000003?restore");
    }

    @Test
    void aFlippedByteUnderSdkChecksumsIsRetriedToAGoodCopy() {
        byte[] data = S3FaultInjectionIT.random(300_000, 21);
        storage.put("chunks/ef/ef01", data);
        proxy.reset();
        proxy.inject("GET", "chunks/ef/ef01", FaultInjectingProxy.Fault.FLIP_BODY_BYTE, 2);

        assertThat(storage.get("chunks/ef/ef01")).isEqualTo(data);
        assertThat(proxy.applied()).hasSize(2);
    }

    @Test
    void lifecycleRulesAreWrittenAndReadBack() {
        assertThat(storage.bucketLifecycle()).isEmpty();
        BucketLifecycleConfiguration rules = BucketLifecycleConfiguration.builder().rules(LifecycleRule.builder()
                .id("cellar-wal").status(ExpirationStatus.ENABLED)
                .filter(LifecycleRuleFilter.builder().prefix("sc/wal/").build())
                .transitions(Transition.builder().days(90).storageClass(TransitionStorageClass.GLACIER).build())
                .build()).build();

        storage.putBucketLifecycle(rules);

        assertThat(storage.bucketLifecycle()).get().satisfies(read -> {
            assertThat(read.rules()).hasSize(1);
            assertThat(read.rules().get(0).id()).isEqualTo("cellar-wal");
            assertThat(read.rules().get(0).filter().prefix()).isEqualTo("sc/wal/");
            assertThat(read.rules().get(0).transitions().get(0).days()).isEqualTo(90);
        });
    }
}
