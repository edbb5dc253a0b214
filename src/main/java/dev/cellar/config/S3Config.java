package dev.cellar.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach one S3-compatible bucket. Credentials are never held here: they come from the
 * variables named by {@code accessKeyIdEnv}/{@code secretAccessKeyEnv}, from {@code profile}, or
 * from the SDK's default provider chain (environment, ~/.aws, instance role).
 *
 * @param bucket             the bucket name
 * @param prefix             folder inside the bucket that holds the repository, "" or ending with '/'
 * @param endpoint           a non-AWS endpoint (MinIO, Ceph, ...); null for AWS itself
 * @param region             the signing region, e.g. eu-west-1
 * @param pathStyle          bucket in the path instead of the host name (most S3-compatible servers want it)
 * @param checksumMode       when the SDK sends and checks its flexible checksums
 * @param caBundle           a PEM file of extra trusted certificates for a private CA; null for the JDK's
 * @param accessKeyIdEnv     variable holding the access key id; null to use the default chain
 * @param secretAccessKeyEnv variable holding the secret access key; null to use the default chain
 * @param profile            a profile of ~/.aws/credentials (or of credentialsFile); null for the default chain
 * @param credentialsFile    an AWS-format credentials file to read instead of ~/.aws/credentials: for
 *                           archive_command, which runs as the server's user without the caller's variables
 * @param storageClass       storage class of chunks and manifests (never an archive class)
 * @param walStorageClass    storage class of WAL objects
 * @param maxAttempts        attempts per request, first one included, for transient failures
 * @param partSizeMib        objects larger than this are uploaded in parts of this size, in parallel
 * @param uploadThreads      parts uploaded at once per object
 * @param maxConcurrency     requests one backup keeps in flight (chunk writes); the connection pool is sized to match
 * @param tlsMinVersion      the lowest TLS version an https endpoint may negotiate
 */
public record S3Config(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
        ChecksumMode checksumMode, Path caBundle, String accessKeyIdEnv, String secretAccessKeyEnv, String profile,
        Path credentialsFile, String storageClass, String walStorageClass, int maxAttempts, int partSizeMib, int uploadThreads,
        int maxConcurrency, TlsMinVersion tlsMinVersion) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_STORAGE_CLASS = "STANDARD";
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final int DEFAULT_PART_SIZE_MIB = 8;
    public static final int DEFAULT_UPLOAD_THREADS = 4;
    /** 32 requests of 1 MiB at 20 ms each carry about 1.5 GB/s, more than 2 cores seal (bench/s3.sh). */
    public static final int DEFAULT_MAX_CONCURRENCY = 32;

    /**
     * WHEN_SUPPORTED is the SDK's default (CRC checksums on every upload and download); some
     * S3-compatible servers reject those headers and need WHEN_REQUIRED (Content-MD5 only where
     * S3 demands one).
     */
    public enum ChecksumMode { WHEN_SUPPORTED, WHEN_REQUIRED }

    public S3Config {
        Objects.requireNonNull(bucket, "bucket");
        prefix = prefix == null ? "" : prefix;
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(checksumMode, "checksumMode");
        Objects.requireNonNull(storageClass, "storageClass");
        Objects.requireNonNull(walStorageClass, "walStorageClass");
        Objects.requireNonNull(tlsMinVersion, "tlsMinVersion");
    }

    /** With TLS 1.2 at least. */
    public S3Config(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
            ChecksumMode checksumMode, Path caBundle, String accessKeyIdEnv, String secretAccessKeyEnv, String profile,
            Path credentialsFile, String storageClass, String walStorageClass, int maxAttempts, int partSizeMib, int uploadThreads,
            int maxConcurrency) {
        this(bucket, prefix, endpoint, region, pathStyle, checksumMode, caBundle, accessKeyIdEnv, secretAccessKeyEnv, profile,
                credentialsFile, storageClass, walStorageClass, maxAttempts, partSizeMib, uploadThreads, maxConcurrency,
                TlsMinVersion.TLS_1_2);
    }

    /** With the default {@link #DEFAULT_MAX_CONCURRENCY}. */
    public S3Config(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
            ChecksumMode checksumMode, Path caBundle, String accessKeyIdEnv, String secretAccessKeyEnv, String profile,
            Path credentialsFile, String storageClass, String walStorageClass, int maxAttempts, int partSizeMib, int uploadThreads) {
        this(bucket, prefix, endpoint, region, pathStyle, checksumMode, caBundle, accessKeyIdEnv, secretAccessKeyEnv, profile,
                credentialsFile, storageClass, walStorageClass, maxAttempts, partSizeMib, uploadThreads, DEFAULT_MAX_CONCURRENCY);
    }

    /** {@code s3://bucket/prefix}, for messages. */
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }
}
