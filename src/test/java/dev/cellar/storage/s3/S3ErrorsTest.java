package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.WriteRefusedException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;

class S3ErrorsTest {
    private static S3Config config(S3Config.ChecksumMode mode) {
        return new S3Config("bkt", "p/", URI.create("https://minio.internal:9000"), "us-east-1", true, mode, null, null, null, null, null,
                "STANDARD", "STANDARD", 6, 8, 4);
    }

    private static S3Exception answer(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("server says no").build()).build();
    }

    @Test
    void missingBucketIsAnInvalidRepositoryNamingIt() {
        CellarException e = new S3Errors(config(S3Config.ChecksumMode.WHEN_SUPPORTED)).translate("read", "cellar.json", answer(404, "NoSuchBucket"));
        assertThat(e.code()).isEqualTo(ErrorCode.REPOSITORY_INVALID);
        assertThat(e.getMessage()).contains("bucket bkt").contains("https://minio.internal:9000");
    }

    @Test
    void refusedCredentialsGetACredentialsHint() {
        for (String code : new String[] {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"}) {
            CellarException e = new S3Errors(config(S3Config.ChecksumMode.WHEN_REQUIRED)).translate("read", "backups/x", answer(403, code));
            assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("backups/x").contains(code).contains("credentials");
            assertThat(e.hint()).contains("access-key-id-env");
        }
    }

    @Test
    void aWriteDeniedToCredentialsThatReadIsAWriteRefusalThatReadersGoOnFrom() {
        S3Errors errors = new S3Errors(config(S3Config.ChecksumMode.WHEN_REQUIRED));
        for (String action : new String[] {"write", "create", "delete"}) {
            CellarException e = errors.translate(action, "locks/t.lock", answer(403, "AccessDenied"));
            assertThat(e).isInstanceOf(WriteRefusedException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("locks/t.lock").contains("only allow reads");
        }
        // a bad signature is bad credentials, whatever the request
        assertThat(errors.translate("write", "locks/t.lock", answer(403, "SignatureDoesNotMatch"))).isNotInstanceOf(WriteRefusedException.class);
    }

    @Test
    void checksumRefusalsPointToWhenRequiredOnlyInWhenSupportedMode() {
        S3Errors defaults = new S3Errors(config(S3Config.ChecksumMode.WHEN_SUPPORTED));
        assertThat(defaults.translate("write", "k", answer(400, "XAmzContentSHA256Mismatch")).hint()).contains("checksum-mode: when-required");
        assertThat(defaults.translate("read", "k", answer(501, "NotImplemented")).hint()).contains("checksum-mode: when-required");
        S3Errors required = new S3Errors(config(S3Config.ChecksumMode.WHEN_REQUIRED));
        assertThat(required.translate("read", "k", answer(501, "NotImplemented")).hint()).doesNotContain("checksum-mode");
    }

    @Test
    void anExhaustedTransientFailureNamesTheEndpointAndTheAttempts() {
        CellarException e = new S3Errors(config(S3Config.ChecksumMode.WHEN_SUPPORTED))
                .translate("read", "chunks/ab/abc", SdkClientException.create("Connection reset"));
        assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        assertThat(e.getMessage()).contains("chunks/ab/abc").contains("https://minio.internal:9000").contains("Connection reset");
        assertThat(e.hint()).contains("6 attempts");
    }

    @Test
    void noCredentialsAnywhereIsAConfigErrorSayingWhereToPutThem() {
        CellarException e = new S3Errors(config(S3Config.ChecksumMode.WHEN_SUPPORTED))
                .translate("read", "cellar.json", SdkClientException.create("Unable to load credentials from any of the providers in the chain"));
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e.getMessage()).contains("no credentials");
        assertThat(e.hint()).contains("access-key-id-env").contains("profile");
    }
}
