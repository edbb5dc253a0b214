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
        if (config.credentialsFile() != null) {
            return fromFile(config);
        }
        if (config.profile() != null) {
            return ProfileCredentialsProvider.create(config.profile());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * The keys of a profile in an AWS-format credentials file: archive_command runs as the
     * server's user, without the caller's variables or home folder, so the file is named outright.
     */
    private static AwsCredentialsProvider fromFile(S3Config config) {
        java.nio.file.Path file = config.credentialsFile();
        if (!java.nio.file.Files.isReadable(file)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "s3.credentials-file " + file + " for " + config.location()
                    + " does not exist or this user (" + System.getProperty("user.name") + ") cannot read it",
                    "write aws_access_key_id and aws_secret_access_key under [default] (or the s3.profile section) there, mode 600");
        }
        String profile = config.profile() == null ? "default" : config.profile();
        software.amazon.awssdk.profiles.ProfileFile profiles = software.amazon.awssdk.profiles.ProfileFile.builder()
                .content(file).type(software.amazon.awssdk.profiles.ProfileFile.Type.CREDENTIALS).build();
        if (profiles.profile(profile).isEmpty()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "s3.credentials-file " + file + " has no [" + profile + "] section",
                    "add the section with aws_access_key_id and aws_secret_access_key, or set s3.profile to one it has");
        }
        return ProfileCredentialsProvider.builder().profileFile(profiles).profileName(profile).build();
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
