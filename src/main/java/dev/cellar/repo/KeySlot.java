package dev.cellar.repo;

import java.time.Instant;

/**
 * One wrapped copy of the key material, stored in plaintext as {@code keys/<id>.json}: the KDF
 * ({@code argon2id}, or {@code hkdf-sha256} for a key file holding a random key, whose cost fields
 * are then 0), its parameters and salt needed to re-derive the wrapping key from a passphrase or
 * key file, and the AES-GCM-sealed key material. Several slots may exist (passphrase and key file).
 */
record KeySlot(
        String id,
        String kind,
        String kdf,
        String saltBase64,
        int memoryKib,
        int iterations,
        int parallelism,
        String wrappedKeyBase64,
        Instant createdAt) {

    static final String PREFIX = RepositoryLayout.KEYS;

    String storageKey() {
        return PREFIX + id + ".json";
    }
}
