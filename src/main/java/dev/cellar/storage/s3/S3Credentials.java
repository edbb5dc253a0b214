package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Picks where the access keys come from: the two variables the configuration names, else a
 * profile of ~/.aws/credentials, else the SDK's default chain (environment, profile, instance or
 * container role). Keys are never read from the configuration file itself.
 */
final class S3Credentials {
    private S3Credentials() {
    }

    static AwsCredentialsProvider provider(S3Config config, Map<String, String> env) {
        if (config.accessKeyIdEnv() != null || config.secretAccessKeyEnv() != null) {
            String id = required(env, config.accessKeyIdEnv(), "access-key-id-env", config);
            String secret = required(env, config.secretAccessKeyEnv(), "secret-access-key-env", config);
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
        }
        if (config.profile() != null) {
            return ProfileCredentialsProvider.create(config.profile());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String required(Map<String, String> env, String variable, String setting, S3Config config) {
        if (variable == null) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "the S3 settings of " + config.location() + " name only one of access-key-id-env and secret-access-key-env",
                    "set both " + setting + " and its partner, or neither to use the default credential chain");
        }
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "environment variable " + variable + " (named by " + setting + " for " + config.location() + ") is not set",
                    "export " + variable + " before running Cellar, or remove " + setting + " to use the default credential chain");
        }
        return value;
    }
}
