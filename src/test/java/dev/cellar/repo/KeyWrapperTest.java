package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.pipeline.AeadCipher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyWrapperTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aSlotOpenedOnceOpensAgainWithTheSameKeysAndAWrongSecretIsStillRefused() {
        KeyMaterial material = KeyMaterial.generate(RANDOM);
        byte[] right = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        KeySlot slot = KeyWrapper.wrap(material, right, "passphrase", RANDOM, Instant.now(), TestRepositories.CHEAP_KDF);

        assertThat(KeyWrapper.unwrap(slot, right).toBytes()).isEqualTo(material.toBytes());
        assertThat(KeyWrapper.unwrap(slot, right).toBytes()).as("opened again, from what this process kept").isEqualTo(material.toBytes());
        assertThatThrownBy(() -> KeyWrapper.unwrap(slot, "correct horse battery stapler".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AeadCipher.AuthenticationFailedException.class);
    }

    @Test
    void whatIsKeptForOneSlotDoesNotOpenAnotherSlotWithTheSameSecret() {
        byte[] secret = "one secret for two repositories".getBytes(StandardCharsets.UTF_8);
        KeyMaterial first = KeyMaterial.generate(RANDOM);
        KeyMaterial second = KeyMaterial.generate(RANDOM);
        KeySlot firstSlot = KeyWrapper.wrap(first, secret, "passphrase", RANDOM, Instant.now(), TestRepositories.CHEAP_KDF);
        KeySlot secondSlot = KeyWrapper.wrap(second, secret, "passphrase", RANDOM, Instant.now(), TestRepositories.CHEAP_KDF);

        assertThat(KeyWrapper.unwrap(firstSlot, secret).toBytes()).isEqualTo(first.toBytes());
        assertThat(KeyWrapper.unwrap(secondSlot, secret).toBytes()).isEqualTo(second.toBytes());
    }
}
