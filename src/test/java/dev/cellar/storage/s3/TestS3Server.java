package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 API server that a test started on loopback: where it listens, the credentials it takes
 * (through the two environment variables Cellar's configuration names), and a plain SDK client
 * for setting up and inspecting buckets behind Cellar's back.
 */
public interface TestS3Server extends AutoCloseable {
    String ACCESS_KEY_ENV = "CELLAR_TEST_S3_ACCESS_KEY";
    String SECRET_KEY_ENV = "CELLAR_TEST_S3_SECRET_KEY";

    URI endpoint();

    String accessKey();

    String secretKey();

    /** The checksum mode this server accepts. */
    S3Config.ChecksumMode checksumMode();

    /** Creates a bucket with a fresh name and returns the name. */
    String createBucket();

    /** The variables to hand to {@link S3Storage#open} or to a Cellar child process. */
    default Map<String, String> env() {
        return Map.of(ACCESS_KEY_ENV, accessKey(), SECRET_KEY_ENV, secretKey());
    }

    /** Settings for a repository under {@code prefix} of {@code bucket} on this server: 5 MiB parts (the least S3 allows), 3 attempts. */
    default S3Config config(String bucket, String prefix) {
        return new S3Config(bucket, prefix, endpoint(), S3Config.DEFAULT_REGION, true, checksumMode(), null,
                ACCESS_KEY_ENV, SECRET_KEY_ENV, null, null, S3Config.DEFAULT_STORAGE_CLASS, S3Config.DEFAULT_STORAGE_CLASS,
                3, 5, S3Config.DEFAULT_UPLOAD_THREADS);
    }

    /** Settings for a repository in a new bucket of its own. */
    default S3Config newRepository() {
        return config(createBucket(), "repo/");
    }

    /** A plain SDK client for this server (checksums as this server wants them), for the test's own use. */
    default S3Client adminClient() {
        var builder = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())));
        if (checksumMode() == S3Config.ChecksumMode.WHEN_REQUIRED) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    static String freshBucketName() {
        return "cellar-" + UUID.randomUUID().toString().substring(0, 13);
    }

    @Override
    void close();
}
