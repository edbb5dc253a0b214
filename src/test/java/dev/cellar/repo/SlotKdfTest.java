package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which new slots may skip Argon2id: only key files that hold a random key of 32 bytes or more. */
class SlotKdfTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aKeyFileOfRandomBase64OrHexGetsHkdf() {
        // Seeded: about 1 random 32-byte key in 1,500 encodes to base64 without a digit, which the heuristic
        // leaves on Argon2id (slower, never weaker); with 50 fresh keys per run that failed ~3 % of runs.
        Random seeded = new Random(20261203);
        for (int i = 0; i < 50; i++) {
            byte[] key = new byte[32];
            seeded.nextBytes(key);
            assertThat(SlotKdf.forNewSlot(RepositorySecret.KEY_FILE, bytes(Base64.getEncoder().encodeToString(key) + "\n")))
                    .isEqualTo(SlotKdf.HKDF_SHA256);
            assertThat(SlotKdf.forNewSlot(RepositorySecret.KEY_FILE, bytes(HexFormat.of().formatHex(key) + "\n")))
                    .isEqualTo(SlotKdf.HKDF_SHA256);
        }
    }

    @Test
    void aPassphraseKeepsArgon2idEvenWhenItLooksLikeARandomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        assertThat(SlotKdf.forNewSlot(RepositorySecret.PASSPHRASE, bytes(Base64.getEncoder().encodeToString(key))))
                .isEqualTo(SlotKdf.ARGON2ID);
    }

    @Test
    void aKeyFileAPersonMayHaveWrittenKeepsArgon2id() {
        byte[] shortKey = new byte[16];
        RANDOM.nextBytes(shortKey);
        byte[] binary = new byte[64];
        RANDOM.nextBytes(binary);
        for (String text : new String[] {
                "correct horse battery staple\n",
                "correcthorsebatterystaplecorrecthorsebattery",   // 44 letters: base64-shaped, but words
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 64 hex-shaped letters
                Base64.getEncoder().encodeToString(shortKey) + "\n",
                "line one\nline two\n",
                ""}) {
            assertThat(SlotKdf.forNewSlot(RepositorySecret.KEY_FILE, bytes(text))).as(text).isEqualTo(SlotKdf.ARGON2ID);
        }
        assertThat(SlotKdf.forNewSlot(RepositorySecret.KEY_FILE, binary)).as("raw bytes").isEqualTo(SlotKdf.ARGON2ID);
    }

    @Test
    void theRecordedNameReadsBackAndAnUnknownOneIsNotGuessed() {
        for (SlotKdf kdf : SlotKdf.values()) {
            assertThat(SlotKdf.ofRecorded(kdf.recorded())).isEqualTo(kdf);
        }
        assertThat(SlotKdf.ofRecorded("scrypt")).isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
