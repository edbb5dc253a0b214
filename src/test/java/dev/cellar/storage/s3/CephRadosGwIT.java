package dev.cellar.storage.s3;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the WORM tests rely on the test harness's radosgw for: it enforces COMPLIANCE retention
 * (the locked version can neither be deleted nor have its date shortened) and, on a versioned
 * bucket, a plain DELETE only adds a delete marker and a PUT only a new version.
 */
class CephRadosGwIT {
    private static CephRadosGw server;
    private static String bucket;

    @BeforeAll
    static void startServer() {
        server = CephRadosGw.shared();
        bucket = server.createLockedBucket();
    }

    @Test
    void aComplianceLockedVersionSurvivesEveryDeleteAndOverwrite() {
        try (S3Client s3 = server.adminClient()) {
            byte[] body = "locked".getBytes(StandardCharsets.UTF_8);
            Instant until = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            String version = s3.putObject(b -> b.bucket(bucket).key("m").contentMD5(Md5.of(body, 0, body.length).base64())
                    .objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(until), RequestBody.fromBytes(body)).versionId();

            assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(bucket).key("m").versionId(version)))
                    .isInstanceOf(S3Exception.class).satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
            assertThatThrownBy(() -> s3.putObjectRetention(b -> b.bucket(bucket).key("m").versionId(version)
                    .retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until.minus(1, ChronoUnit.HOURS)))))
                    .as("a compliance date cannot be shortened").isInstanceOf(S3Exception.class);

            s3.deleteObject(b -> b.bucket(bucket).key("m"));
            s3.putObject(b -> b.bucket(bucket).key("m"), RequestBody.fromString("overwritten"));

            List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix("m")).versions();
            assertThat(versions).extracting(ObjectVersion::versionId).contains(version);
            assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix("m")).deleteMarkers()).hasSize(1);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("m").versionId(version)).asUtf8String()).isEqualTo("locked");
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("m")).asUtf8String()).isEqualTo("overwritten");
        }
        assertThat(server.startTime()).as("started once for the JVM").isPositive();
    }
}
