package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.pipeline.AeadCipher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
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

    @Test
    void aRandomKeyFileGetsAnHkdfSlotThatOpensAndRefusesAnotherKeyFile() {
        KeyMaterial material = KeyMaterial.generate(RANDOM);
        byte[] keyFile = randomKeyFile();
        KeySlot slot = KeyWrapper.wrap(material, keyFile, RepositorySecret.KEY_FILE, RANDOM, Instant.now(), KeyWrapper.Cost.DEFAULT);

        assertThat(slot.kdf()).isEqualTo("hkdf-sha256");
        assertThat(new int[] {slot.memoryKib(), slot.iterations(), slot.parallelism()}).containsOnly(0);
        assertThat(KeyWrapper.unwrap(slot, keyFile).toBytes()).isEqualTo(material.toBytes());
        assertThatThrownBy(() -> KeyWrapper.unwrap(slot, randomKeyFile())).isInstanceOf(AeadCipher.AuthenticationFailedException.class);
    }

    @Test
    void aFlippedByteInAnHkdfSlotIsRefused() {
        byte[] keyFile = randomKeyFile();
        KeySlot slot = KeyWrapper.wrap(KeyMaterial.generate(RANDOM), keyFile, RepositorySecret.KEY_FILE, RANDOM, Instant.now(),
                KeyWrapper.Cost.DEFAULT);
        byte[] wrapped = Base64.getDecoder().decode(slot.wrappedKeyBase64());
        wrapped[wrapped.length / 2] ^= 1;
        KeySlot flipped = new KeySlot(slot.id() + "0", slot.kind(), slot.kdf(), slot.saltBase64(), 0, 0, 0,
                Base64.getEncoder().encodeToString(wrapped), slot.createdAt());

        assertThatThrownBy(() -> KeyWrapper.unwrap(flipped, keyFile)).isInstanceOf(AeadCipher.AuthenticationFailedException.class);
    }

    @Test
    void aKeyFileSlotWrittenWithArgon2idBeforeStillOpens() {
        KeyMaterial material = KeyMaterial.generate(RANDOM);
        byte[] keyFile = randomKeyFile();
        KeySlot old = KeyWrapper.wrap(material, keyFile, RepositorySecret.KEY_FILE, RANDOM, Instant.now(), TestRepositories.CHEAP_KDF,
                SlotKdf.ARGON2ID);

        assertThat(old.kdf()).isEqualTo("argon2id");
        assertThat(KeyWrapper.unwrap(old, keyFile).toBytes()).isEqualTo(material.toBytes());
        assertThatThrownBy(() -> KeyWrapper.unwrap(old, randomKeyFile())).isInstanceOf(AeadCipher.AuthenticationFailedException.class);
    }

    @Test
    void hkdfMatchesTheFirstBlockOfRfc5869TestCase1() {
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        java.util.HexFormat hex = java.util.HexFormat.of();
        byte[] okm = KeyWrapper.hkdfSha256(ikm, hex.parseHex("000102030405060708090a0b0c"), hex.parseHex("f0f1f2f3f4f5f6f7f8f9"));
        assertThat(hex.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    }

    /** What {@code init --new-key-file} writes: one line of base64 over 32 random bytes. */
    private static byte[] randomKeyFile() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
