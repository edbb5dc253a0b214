package dev.cellar.repo;

import dev.cellar.pipeline.AeadCipher;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Wraps and unwraps the key material with a key derived by Argon2id (RFC 9106) from the
 * operator's secret, so a stolen repository costs an attacker memory-hard guessing per try.
 */
final class KeyWrapper {
    static final int MEMORY_KIB = 64 * 1024;
    static final int ITERATIONS = 3;
    static final int PARALLELISM = 2;
    private static final String AAD = "cellar-key-slot";

    private KeyWrapper() {
    }

    /** Argon2id cost recorded in each slot; anything but {@link #DEFAULT} is only for tests. */
    record Cost(int memoryKib, int iterations, int parallelism) {
        static final Cost DEFAULT = new Cost(MEMORY_KIB, ITERATIONS, PARALLELISM);
    }

    static KeySlot wrap(KeyMaterial material, byte[] secret, String kind, SecureRandom random, Instant now, Cost cost) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] kek = derive(secret, salt, cost.memoryKib(), cost.iterations(), cost.parallelism());
        byte[] wrapped = new AeadCipher(kek).seal(material.toBytes(), AAD);
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        return new KeySlot(HexFormat.of().formatHex(idBytes), kind, "argon2id",
                Base64.getEncoder().encodeToString(salt), cost.memoryKib(), cost.iterations(), cost.parallelism(),
                Base64.getEncoder().encodeToString(wrapped), now);
    }

    /** Returns the key material, or throws {@link AeadCipher.AuthenticationFailedException} for a wrong secret. */
    static KeyMaterial unwrap(KeySlot slot, byte[] secret) {
        if (!"argon2id".equals(slot.kdf())) {
            throw new IllegalArgumentException("key slot " + slot.id() + " uses unknown KDF " + slot.kdf());
        }
        byte[] kek = derive(secret, Base64.getDecoder().decode(slot.saltBase64()),
                slot.memoryKib(), slot.iterations(), slot.parallelism());
        return KeyMaterial.fromBytes(new AeadCipher(kek).open(Base64.getDecoder().decode(slot.wrappedKeyBase64()), AAD));
    }

    private static byte[] derive(byte[] secret, byte[] salt, int memoryKib, int iterations, int parallelism) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] key = new byte[AeadCipher.KEY_BYTES];
        generator.generateBytes(secret, key);
        return key;
    }
}
