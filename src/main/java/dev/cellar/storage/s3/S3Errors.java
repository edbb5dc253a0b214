package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.WriteRefusedException;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns what the SDK throws, once its retries are spent, into Cellar's errors: each names the
 * object, the endpoint and what to do. Missing objects and archive classes are told apart by the
 * caller, which knows the key; everything here is about the store as a whole.
 */
final class S3Errors {
    private static final Set<String> CREDENTIAL_CODES = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "AllAccessDisabled");
    /** Actions of {@link #translate} that change the bucket. */
    private static final Set<String> WRITE_ACTIONS = Set.of("write", "create", "delete", "set the retention of");
    private static final Set<String> CHECKSUM_CODES = Set.of("XAmzContentSHA256Mismatch", "NotImplemented", "InvalidChecksum");

    private final S3Config config;
    private final String endpoint;

    S3Errors(S3Config config) {
        this.config = config;
        this.endpoint = config.endpoint() != null ? config.endpoint().toString() : "AWS S3 (" + config.region() + ")";
    }

    String endpoint() {
        return endpoint;
    }

    static String code(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    static boolean isNotFound(S3Exception e) {
        String code = code(e);
        return e.statusCode() == 404 && !code.equals("NoSuchBucket") && !code.equals("NoSuchUpload");
    }

    /** The error for a request about {@code key} ("" for the bucket) that failed for good. */
    CellarException translate(String action, String key, SdkException e) {
        String what = action + " " + (key.isEmpty() ? config.location() : "object " + key + " in " + config.location());
        if (e instanceof S3Exception s3) {
            String code = code(s3);
            String detail = s3.statusCode() + (code.isEmpty() ? "" : " " + code)
                    + (s3.awsErrorDetails() != null && s3.awsErrorDetails().errorMessage() != null ? ": " + s3.awsErrorDetails().errorMessage() : "");
            if (code.equals("NoSuchBucket")) {
                return new CellarException(ErrorCode.REPOSITORY_INVALID, "bucket " + config.bucket() + " does not exist at " + endpoint,
                        "create the bucket, or fix the bucket name in repository.path (s3://bucket/prefix)", e);
            }
            if (WRITE_ACTIONS.contains(action) && code.equals("AccessDenied")) {
                // the repository was read with these credentials before anything is written: a refusal here is a read-only key
                return new WriteRefusedException(ErrorCode.STORAGE_UNAVAILABLE, key, config.location(),
                        endpoint + " refused the write (" + detail + "): credentials that only allow reads", e);
            }
            if (CREDENTIAL_CODES.contains(code) || s3.statusCode() == 403) {
                return new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "could not " + what + ": " + endpoint + " refused the credentials (" + detail + ")",
                        "check the access key (access-key-id-env / secret-access-key-env / profile), the clock of this host and the IAM permissions listed in docs/s3-storage.md", e);
            }
            if (config.checksumMode() == S3Config.ChecksumMode.WHEN_SUPPORTED && (CHECKSUM_CODES.contains(code) || s3.statusCode() == 501)) {
                return new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "could not " + what + ": " + endpoint
                                + " rejected the AWS SDK's default checksum headers (" + detail + ")",
                        "this server needs 'checksum-mode: when-required' in the s3 settings of this repository", e);
            }
            return new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "could not " + what + ": " + endpoint + " answered " + detail,
                    retryHint(), e);
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials")) {
            return new CellarException(ErrorCode.CONFIG_INVALID, "could not " + what + ": no credentials for " + endpoint
                    + " were found (" + e.getMessage() + ")",
                    "name the variables holding the key with access-key-id-env / secret-access-key-env, or a profile with profile,"
                            + " or run where the default AWS chain finds one (AWS_ACCESS_KEY_ID, ~/.aws/credentials, an instance role)", e);
        }
        return new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "could not " + what + ": " + endpoint + " did not answer properly ("
                + e.getMessage() + ")", retryHint(), e);
    }

    /** A check of Cellar's own failed on every attempt (short body, damaged upload). */
    CellarException damaged(String action, String key, int attempts, String problem) {
        return new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "could not " + action + " object " + key + " in " + config.location()
                + " intact from " + endpoint + " in " + attempts + " attempts: " + problem,
                "the network or the server damaged every copy; check the path to " + endpoint + " and retry");
    }

    private String retryHint() {
        return "failed after " + config.maxAttempts() + " attempts; check that " + endpoint
                + " is reachable and healthy (raise max-attempts for a flaky link), then retry";
    }
}
