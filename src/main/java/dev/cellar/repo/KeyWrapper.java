package dev.cellar.repo;

import dev.cellar.pipeline.AeadCipher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /**
     * Key material this process already unwrapped, by slot and a salted hash of the secret that
     * opened it. {@code cellar server} opens the repository for many requests (dashboard pages, API
     * reads, the observation rounds); Argon2id's 64 MiB and hundreds of milliseconds per opening are
     * there to slow an attacker's guesses, not those. Only a secret that unwrapped the slot is kept,
     * so a wrong one still pays the whole derivation every time.
     */
    private static final Map<String, byte[]> UNWRAPPED = new ConcurrentHashMap<>();
    private static final int UNWRAPPED_MAX = 64;

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
        String opened = openedBy(slot, secret);
        byte[] known = UNWRAPPED.get(opened);
        if (known != null) {
            return KeyMaterial.fromBytes(known.clone());
        }
        byte[] kek = derive(secret, Base64.getDecoder().decode(slot.saltBase64()),
                slot.memoryKib(), slot.iterations(), slot.parallelism());
        KeyMaterial material = KeyMaterial.fromBytes(new AeadCipher(kek).open(Base64.getDecoder().decode(slot.wrappedKeyBase64()), AAD));
        if (UNWRAPPED.size() >= UNWRAPPED_MAX) {
            UNWRAPPED.clear();
        }
        UNWRAPPED.put(opened, material.toBytes());
        return material;
    }

    /** The slot's identity (its id and wrapped key) with SHA-256 over its salt and the secret: never the secret itself. */
    private static String openedBy(KeySlot slot, byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(slot.saltBase64().getBytes(StandardCharsets.US_ASCII));
            sha.update(secret);
            return slot.id() + ":" + slot.wrappedKeyBase64() + ":" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
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
