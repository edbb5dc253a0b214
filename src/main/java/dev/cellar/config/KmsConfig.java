package dev.cellar.config;

import java.net.URI;
import java.util.Objects;

/**
 * Which AWS KMS key wraps the repository's key material, and how to reach it. Credentials are
 * never held here: like S3's, they come from the variables named, a profile, or the SDK's default
 * chain (environment, ~/.aws, instance role).
 *
 * @param keyId              key id, ARN or alias/name; null when the repository is not unlocked by KMS
 * @param region             the key's region
 * @param endpoint           an endpoint other than AWS's own for the region; null for AWS's
 * @param accessKeyIdEnv     variable holding the access key id; null for the default chain
 * @param secretAccessKeyEnv variable holding the secret access key; null for the default chain
 * @param profile            a profile of ~/.aws/credentials; null for the default chain
 */
public record KmsConfig(String keyId, String region, URI endpoint, String accessKeyIdEnv, String secretAccessKeyEnv, String profile) {
    public KmsConfig {
        Objects.requireNonNull(region, "region");
    }

    /** The same service with another key (for {@code key add --kms KEY-ID}). */
    public KmsConfig withKeyId(String otherKeyId) {
        return new KmsConfig(otherKeyId, region, endpoint, accessKeyIdEnv, secretAccessKeyEnv, profile);
    }
}
