package dev.cellar.keys;

import dev.cellar.config.ConfigKey;
import dev.cellar.config.KmsConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.KeySlot;
import dev.cellar.repo.UnlockMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Unlocks with an AWS KMS key: the key material (72 bytes, under KMS's 4 KiB limit) is sealed by
 * KMS {@code Encrypt} and opened by {@code Decrypt}, both with the encryption context
 * {@code {"cellar-repository": <repository id>}}, so a slot copied into another repository does not
 * open there and CloudTrail names the repository of every Decrypt. The KMS key never leaves KMS.
 */
public final class KmsUnlock implements UnlockMethod {
    public static final String KIND = "kms";
    static final String SCHEME = "aws-kms";
    static final String CONTEXT_KEY = "cellar-repository";

    private final KmsConfig config;
    private final Map<String, String> env;
    private KmsClient client;

    private KmsUnlock(KmsConfig config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    public static KmsUnlock of(KmsConfig config, Map<String, String> env) {
        return new KmsUnlock(config, env);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean mayOpen(KeySlot slot) {
        return KIND.equals(slot.kind()) && SCHEME.equals(slot.kdf());
    }

    @Override
    public KeySlot seal(byte[] material, String repositoryId, String slotId, Instant now) {
        EncryptResponse sealed = call(() -> client().encrypt(b -> b.keyId(config.keyId())
                .plaintext(SdkBytes.fromByteArray(material)).encryptionContext(context(repositoryId))));
        Map<String, String> where = new LinkedHashMap<>();
        where.put("key-id", config.keyId());
        where.put("region", config.region());
        return KeySlot.held(slotId, KIND, SCHEME, Base64.getEncoder().encodeToString(sealed.ciphertextBlob().asByteArray()), now, where);
    }

    @Override
    public byte[] open(KeySlot slot, String repositoryId) {
        if (!config.keyId().equals(slot.unlockSetting("key-id"))) {
            throw new NotThisSlot(slot.id());
        }
        String identity = OpenedSlots.identity(slot.id(), slot.wrappedKeyBase64(), repositoryId + "|" + endpointName() + "|" + config.keyId() + "|"
                + String.valueOf(config.accessKeyIdEnv() == null ? config.profile() : env.get(config.accessKeyIdEnv())), null);
        byte[] known = OpenedSlots.get(identity);
        if (known != null) {
            return known;
        }
        try {
            DecryptResponse opened = call(() -> client().decrypt(b -> b.keyId(config.keyId())
                    .ciphertextBlob(SdkBytes.fromByteArray(Base64.getDecoder().decode(slot.wrappedKeyBase64())))
                    .encryptionContext(context(repositoryId))));
            byte[] material = opened.plaintext().asByteArray();
            OpenedSlots.put(identity, material);
            return material;
        } catch (NotOpened notOpened) {
            throw new NotThisSlot(slot.id());
        }
    }

    @Override
    public String describe() {
        return "the KMS key " + config.keyId() + " (" + endpointName() + ")";
    }

    @Override
    public String settingsToCheck() {
        return ConfigKey.REPOSITORY_KMS_KEY_ID.dotted() + " (the key that sealed the slot: 'cellar key list' shows it)";
    }

    @Override
    public void wipe() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static Map<String, String> context(String repositoryId) {
        return Map.of(CONTEXT_KEY, repositoryId);
    }

    private String endpointName() {
        return config.endpoint() != null ? config.endpoint().toString() : "kms." + config.region() + ".amazonaws.com";
    }

    /** The ciphertext is not this key's, or not for this repository: another slot may still open. */
    private static final class NotOpened extends RuntimeException {
        NotOpened() {
            super(null, null, false, false);
        }
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (InvalidCiphertextException | IncorrectKeyException notThisKey) {
            throw new NotOpened();
        } catch (KmsException refused) {
            String code = refused.awsErrorDetails() != null ? refused.awsErrorDetails().errorCode() + " (" + refused.awsErrorDetails().errorMessage()
                    + ")" : "HTTP " + refused.statusCode();
            throw new CellarException(ErrorCode.KMS_REFUSED, "KMS at " + endpointName() + " refused the request for key "
                    + config.keyId() + ": " + code + "; nothing was changed",
                    "check that the credentials used may call kms:Encrypt and kms:Decrypt on that key, and that it is enabled");
        } catch (SdkClientException unreachable) {
            if (String.valueOf(unreachable.getMessage()).contains("Unable to load credentials")) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "no AWS credentials for KMS key " + config.keyId(),
                        "set " + ConfigKey.REPOSITORY_KMS_ACCESS_KEY_ID_ENV.dotted() + " and " + ConfigKey.REPOSITORY_KMS_SECRET_ACCESS_KEY_ENV.dotted()
                                + ", " + ConfigKey.REPOSITORY_KMS_PROFILE.dotted() + ", or give this host a role");
            }
            throw new CellarException(ErrorCode.KMS_UNREACHABLE, "KMS at " + endpointName() + " cannot be reached: "
                    + unreachable.getMessage() + "; nothing was changed",
                    "check " + ConfigKey.REPOSITORY_KMS_REGION.dotted() + " / " + ConfigKey.REPOSITORY_KMS_ENDPOINT.dotted()
                            + ", DNS and the network path (proxy, VPC endpoint) to it; a passphrase slot kept for break-glass still opens "
                            + "the repository");
        }
    }

    private KmsClient client() {
        if (client == null) {
            KmsClientBuilder builder = KmsClient.builder()
                    .region(Region.of(config.region()))
                    .credentialsProvider(credentials())
                    .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(20)))
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)).retryStrategy(r -> r.maxAttempts(3)));
            if (config.endpoint() != null) {
                builder.endpointOverride(config.endpoint());
            }
            client = builder.build();
        }
        return client;
    }

    private AwsCredentialsProvider credentials() {
        if (config.accessKeyIdEnv() != null || config.secretAccessKeyEnv() != null) {
            String id = variable(config.accessKeyIdEnv(), ConfigKey.REPOSITORY_KMS_ACCESS_KEY_ID_ENV);
            String secret = variable(config.secretAccessKeyEnv(), ConfigKey.REPOSITORY_KMS_SECRET_ACCESS_KEY_ENV);
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
        }
        if (config.profile() != null) {
            return ProfileCredentialsProvider.create(config.profile());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private String variable(String name, ConfigKey setting) {
        String value = name == null ? null : env.get(name);
        if (value == null || value.isBlank()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, setting.dotted() + " names "
                    + (name == null ? "no variable" : "variable " + name + ", which is not set"),
                    "set both " + ConfigKey.REPOSITORY_KMS_ACCESS_KEY_ID_ENV.dotted() + " and "
                            + ConfigKey.REPOSITORY_KMS_SECRET_ACCESS_KEY_ENV.dotted() + " to set variables, or neither for the default chain");
        }
        return value;
    }
}
