package dev.cellar.repo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One wrapped copy of the key material, stored in plaintext as {@code keys/<id>.json}. A slot of a
 * passphrase or key file records the KDF ({@code argon2id}, or {@code hkdf-sha256} for a key file
 * holding a random key, whose cost fields are then 0), its parameters and salt, and the AES-GCM-sealed
 * key material. A slot of an HSM or of KMS records the scheme in {@code kdf} ({@code pkcs11-aes-gcm},
 * {@code aws-kms}), zeros and no salt, and in {@code unlock} where its key lives (never a secret).
 * Several slots may exist at once, each opening the same key material.
 *
 * @param unlock where the wrapping key of an HSM or KMS slot lives (token slot, key label; key id,
 *               region); null, and left out of the JSON, for passphrase and key-file slots, so those
 *               read and write exactly as before HSM and KMS slots existed
 */
public record KeySlot(
        String id,
        String kind,
        String kdf,
        String saltBase64,
        int memoryKib,
        int iterations,
        int parallelism,
        String wrappedKeyBase64,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> unlock) {

    static final String PREFIX = RepositoryLayout.KEYS;

    /** A passphrase or key-file slot. */
    KeySlot(String id, String kind, String kdf, String saltBase64, int memoryKib, int iterations, int parallelism,
            String wrappedKeyBase64, Instant createdAt) {
        this(id, kind, kdf, saltBase64, memoryKib, iterations, parallelism, wrappedKeyBase64, createdAt, null);
    }

    public KeySlot {
        unlock = unlock == null ? null : Map.copyOf(unlock);
    }

    /** A slot whose key is held elsewhere (an HSM, KMS): no KDF, salt or cost. */
    public static KeySlot held(String id, String kind, String scheme, String wrappedKeyBase64, Instant createdAt, Map<String, String> unlock) {
        return new KeySlot(id, kind, scheme, "", 0, 0, 0, wrappedKeyBase64, createdAt, unlock);
    }

    /** One setting of {@link #unlock}, or null. */
    public String unlockSetting(String name) {
        return unlock == null ? null : unlock.get(name);
    }

    String storageKey() {
        return PREFIX + id + ".json";
    }
}
