package dev.cellar.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach the key on a PKCS#11 token (an HSM, SoftHSM2) that wraps the repository's key
 * material. The PIN is held as its source only, read when the token is opened.
 *
 * @param library   the PKCS#11 module; null to look for SoftHSM2's in the usual library folders
 * @param slot      the token's slot id; null to use {@code slotIndex}
 * @param slotIndex the token's position in the module's slot list
 * @param keyLabel  the label of the AES key on the token; null when the repository is not unlocked by the HSM
 * @param pin       where the token's user PIN comes from
 */
public record Pkcs11Config(Path library, Long slot, int slotIndex, String keyLabel, SecretSource pin) {
    public Pkcs11Config {
        Objects.requireNonNull(pin, "pin");
        if (pin.secret() != SecretName.HSM_PIN) {
            throw new IllegalArgumentException("PIN source is for " + pin.secret().key());
        }
    }

    /** The same token with another key label (for {@code key add --pkcs11 --label}). */
    public Pkcs11Config withKeyLabel(String label) {
        return new Pkcs11Config(library, slot, slotIndex, label, pin);
    }
}
