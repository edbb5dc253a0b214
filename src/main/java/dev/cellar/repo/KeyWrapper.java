package dev.cellar.repo;

import dev.cellar.pipeline.AeadCipher;
import dev.cellar.pipeline.Argon2id;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wraps and unwraps the key material with a key derived from the operator's secret: by Argon2id
 * (RFC 9106) for a passphrase, so a stolen repository costs an attacker memory-hard guessing per
 * try, or by HKDF-SHA256 for a key file that holds a random key ({@link SlotKdf}).
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
        return wrap(material, secret, kind, random, now, cost, SlotKdf.forNewSlot(kind, secret));
    }

    /** Seam for tests: a slot with a chosen KDF, such as a key-file slot as Cellar wrote them before HKDF. */
    static KeySlot wrap(KeyMaterial material, byte[] secret, String kind, SecureRandom random, Instant now, Cost cost, SlotKdf kdf) {
        return wrap(material, secret, kind, random, now, cost, kdf, KeySlots.newSlotId(random));
    }

    static KeySlot wrap(KeyMaterial material, byte[] secret, String kind, SecureRandom random, Instant now, Cost cost, SlotKdf kdf,
                        String slotId) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        // an HKDF slot records no Argon2id cost: zeros say so
        Cost recorded = kdf == SlotKdf.ARGON2ID ? cost : new Cost(0, 0, 0);
        byte[] kek = derive(kdf, secret, salt, recorded);
        byte[] wrapped = new AeadCipher(kek).seal(material.toBytes(), AAD);
        return new KeySlot(slotId, kind, kdf.recorded(),
                Base64.getEncoder().encodeToString(salt), recorded.memoryKib(), recorded.iterations(), recorded.parallelism(),
                Base64.getEncoder().encodeToString(wrapped), now);
    }

    /** Returns the key material, or throws {@link AeadCipher.AuthenticationFailedException} for a wrong secret. */
    static KeyMaterial unwrap(KeySlot slot, byte[] secret) {
        SlotKdf kdf = SlotKdf.ofRecorded(slot.kdf());
        if (kdf == null) {
            throw new IllegalArgumentException("key slot " + slot.id() + " uses unknown KDF " + slot.kdf());
        }
        String opened = openedBy(slot, secret);
        byte[] known = UNWRAPPED.get(opened);
        if (known != null) {
            return KeyMaterial.fromBytes(known.clone());
        }
        byte[] kek = derive(kdf, secret, Base64.getDecoder().decode(slot.saltBase64()),
                new Cost(slot.memoryKib(), slot.iterations(), slot.parallelism()));
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

    private static byte[] derive(SlotKdf kdf, byte[] secret, byte[] salt, Cost cost) {
        return switch (kdf) {
            case ARGON2ID -> Argon2id.derive(secret, salt, cost.memoryKib(), cost.iterations(), cost.parallelism(), AeadCipher.KEY_BYTES);
            case HKDF_SHA256 -> hkdfSha256(secret, salt, AAD.getBytes(StandardCharsets.US_ASCII));
        };
    }

    /**
     * RFC 5869 with SHA-256: extract with the slot's salt, expand one block (32 bytes, the key
     * size) with {@code info}; the slots use their associated-data string as info.
     */
    static byte[] hkdfSha256(byte[] secret, byte[] salt, byte[] info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] pseudoRandomKey = mac.doFinal(secret);
            mac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            byte[] key = mac.doFinal();
            Arrays.fill(pseudoRandomKey, (byte) 0);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
