package dev.cellar.repo;

import java.time.Instant;

/**
 * One way of unlocking a repository (a passphrase, a key file, a key on an HSM, a KMS key): it
 * seals the key material into a new slot of its kind and opens the slots it can. The repository
 * asks it for every slot it {@link #mayOpen may open}, its own kind first.
 *
 * <p>Contract of {@link #open}: a key that simply does not open this slot throws
 * {@link NotThisSlot}, and the next slot is tried; a failure of the method itself (the HSM
 * refused the PIN, KMS unreachable or denying access) throws a {@code CellarException} with its
 * own error code, which stops the opening at once: no other slot would fare better, and the
 * operator must hear what to fix.
 */
public interface UnlockMethod {

    /** The slot kind this method writes and prefers: {@code passphrase}, {@code key-file}, {@code pkcs11}, {@code kms}. */
    String kind();

    /** Whether {@link #open} is worth trying on this slot (a KMS key never opens a passphrase slot). */
    boolean mayOpen(KeySlot slot);

    /** A new slot {@code slotId} holding {@code material} sealed by this method, bound to {@code repositoryId}. */
    KeySlot seal(byte[] material, String repositoryId, String slotId, Instant now);

    /** The key material of {@code slot}; see the class comment for what it throws. */
    byte[] open(KeySlot slot, String repositoryId);

    /** What this method is, for messages: never a secret ("the HSM key 'cellar' in slot index 0"). */
    String describe();

    /** The settings to check when this method opens nothing, for a HINT. */
    String settingsToCheck();

    /** Forgets any secret this method holds (a passphrase, a PIN); it cannot be used afterwards. */
    default void wipe() {
    }

    /** This method's key does not open this slot: try the next one. */
    final class NotThisSlot extends RuntimeException {
        public NotThisSlot(String slotId) {
            super("not opened: slot " + slotId, null, false, false);
        }
    }
}
