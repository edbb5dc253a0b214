package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which method a command unlocks with when several are configured: KMS, then the HSM, then the key file, then the passphrase. */
class RepositoryUnlockConfigTest {
    private static RepositoryConfig load(Map<String, String> env, Map<String, String> overrides) {
        java.util.Map<String, String> all = new java.util.HashMap<>(overrides);
        all.put("repository.path", "/backups/repo");
        return ConfigLoader.load(null, env, all, warning -> { }).requireRepository();
    }

    @Test
    void kmsWinsThenTheHsmThenTheKeyFileThenThePassphrase() {
        Map<String, String> env = Map.of("CELLAR_PASSPHRASE", "p");
        assertThat(load(env, Map.of()).unlockKind()).isEqualTo(RepositoryConfig.UnlockKind.PASSPHRASE);
        assertThat(load(env, Map.of("repository.key-file", "/k")).unlockKind()).isEqualTo(RepositoryConfig.UnlockKind.KEY_FILE);
        assertThat(load(env, Map.of("repository.key-file", "/k", "repository.pkcs11.key-label", "cellar")).unlockKind())
                .isEqualTo(RepositoryConfig.UnlockKind.PKCS11);
        assertThat(load(env, Map.of("repository.pkcs11.key-label", "cellar", "repository.kms.key-id", "alias/c")).unlockKind())
                .isEqualTo(RepositoryConfig.UnlockKind.KMS);
    }

    @Test
    void hsmAndKmsSettingsWithoutAKeyDoNotChangeTheMethodButServeKeyAdd() {
        RepositoryConfig config = load(Map.of("CELLAR_PASSPHRASE", "p", "AWS_REGION", "eu-central-1"),
                Map.of("repository.pkcs11.slot-index", "2", "repository.kms.endpoint", "https://kms.example.test"));

        assertThat(config.unlockKind()).isEqualTo(RepositoryConfig.UnlockKind.PASSPHRASE);
        assertThat(config.pkcs11().slotIndex()).isEqualTo(2);
        assertThat(config.pkcs11().pin()).isInstanceOf(SecretSource.Prompt.class);
        assertThat(config.kms().region()).isEqualTo("eu-central-1");
        assertThat(config.kms().endpoint()).isEqualTo(URI.create("https://kms.example.test"));
    }

    @Test
    void anHsmOrKmsAloneNeedsNoPassphraseAndAPinComesFromItsVariable() {
        RepositoryConfig hsm = load(Map.of("CELLAR_HSM_PIN", "1234"), Map.of("repository.pkcs11.key-label", "cellar"));
        RepositoryConfig kms = load(Map.of(), Map.of("repository.kms.key-id", "alias/c"));

        assertThat(hsm.passphrase()).isNull();
        assertThat(hsm.pkcs11().pin()).isEqualTo(new SecretSource.FromEnv(SecretName.HSM_PIN, "CELLAR_HSM_PIN"));
        assertThat(kms.passphrase()).isNull();
        assertThat(kms.unlockKind()).isEqualTo(RepositoryConfig.UnlockKind.KMS);
    }
}
