package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3CredentialsTest {
    private static S3Config config(String idEnv, String secretEnv, String profile) {
        return new S3Config("b", "", null, "us-east-1", false, S3Config.ChecksumMode.WHEN_SUPPORTED, null, idEnv, secretEnv, profile, null,
                "STANDARD", "STANDARD", 6, 8, 4);
    }

    @Test
    void namedVariablesSupplyTheKeys() {
        AwsCredentials credentials = S3Credentials.provider(config("ID", "SECRET", "ignored"), Map.of("ID", "AKIA1", "SECRET", "s3cr3t"))
                .resolveCredentials();
        assertThat(credentials.accessKeyId()).isEqualTo("AKIA1");
        assertThat(credentials.secretAccessKey()).isEqualTo("s3cr3t");
    }

    @Test
    void anUnsetVariableIsAConfigErrorNamingIt() {
        assertThatThrownBy(() -> S3Credentials.provider(config("ID", "SECRET", null), Map.of("ID", "AKIA1", "SECRET", " ")))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("SECRET")
                .hasMessageContaining("secret-access-key-env")
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> S3Credentials.provider(config("ID", null, null), Map.of("ID", "AKIA1")))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    @Test
    void aProfileIsUsedWhenNoVariablesAreNamed() {
        assertThat(S3Credentials.provider(config(null, null, "ceph"), Map.of())).isInstanceOf(ProfileCredentialsProvider.class);
    }
}
