package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The key slots of an open repository: listed, added (sealed by an {@link UnlockMethod} and proved
 * by opening the stored slot again) and removed (never the last, never the one that opened this
 * repository while it is the only other way in). The decisions are pure functions over the slots.
 */
public final class KeySlots {
    private final Repository repository;

    public KeySlots(Repository repository) {
        this.repository = repository;
    }

    /** Every readable slot, oldest first. */
    public List<KeySlot> list() {
        List<KeySlot> slots = new ArrayList<>(Repository.readSlots(repository.storage()));
        slots.sort(Comparator.comparing(KeySlot::createdAt).thenComparing(KeySlot::id));
        return slots;
    }

    /**
     * Seals the key material for {@code method} into a new slot, writes it, then reads the slot back
     * from storage and opens it with {@code method}: a slot is reported added only once it has been
     * proved to open the repository. A slot that fails the proof is deleted again.
     */
    public KeySlot add(UnlockMethod method) {
        String repositoryId = repository.header().repositoryId();
        byte[] material = repository.keyMaterial().toBytes();
        KeySlot slot = method.seal(material, repositoryId, newSlotId(new SecureRandom()), repository.clock().instant());
        if (!repository.storage().putIfAbsent(slot.storageKey(), RepositoryJson.write(slot))) {
            throw new CellarException(ErrorCode.INTERNAL, "key slot " + slot.id() + " already exists in " + repository.storage().describe(),
                    "run the command again: slot ids are random");
        }
        KeySlot stored = Repository.readSlots(repository.storage()).stream().filter(s -> s.id().equals(slot.id())).findFirst().orElse(null);
        byte[] opened = null;
        try {
            if (stored != null) {
                opened = method.open(stored, repositoryId);
            }
        } catch (UnlockMethod.NotThisSlot notOpened) {
            opened = null;
        } catch (RuntimeException failed) {
            repository.storage().delete(slot.storageKey());
            throw failed;
        }
        if (opened == null || !MessageDigest.isEqual(opened, material)) {
            repository.storage().delete(slot.storageKey());
            throw new CellarException(ErrorCode.INTEGRITY, "the new " + method.kind() + " slot " + slot.id()
                    + " did not open the repository when read back from " + repository.storage().describe() + "; it was removed again",
                    "check the storage for damage ('cellar verify') and try again; the existing slots are untouched");
        }
        return stored;
    }

    /** Deletes slot {@code id}, unless {@link #refusalToRemove} says why not. */
    public KeySlot remove(String id) {
        List<KeySlot> slots = list();
        Optional<String> refusal = refusalToRemove(slots, id);
        if (refusal.isPresent()) {
            throw new CellarException(ErrorCode.KEY_SLOT_REFUSED, refusal.get(), hintFor(slots, id));
        }
        KeySlot removed = slots.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        repository.storage().delete(removed.storageKey());
        return removed;
    }

    /**
     * Why slot {@code id} must stay, or empty: it does not exist, or it is the last slot (nothing
     * would open the repository again; this is also the case of the slot that unlocked this
     * command when no other remains). Removing the unlocking slot while others remain is allowed:
     * each of those was proved to open the repository when it was added.
     */
    static Optional<String> refusalToRemove(List<KeySlot> slots, String id) {
        if (slots.stream().noneMatch(s -> s.id().equals(id))) {
            return Optional.of("the repository has no key slot " + id);
        }
        if (slots.size() == 1) {
            return Optional.of("slot " + id + " is the repository's last key slot: without it nothing opens the repository");
        }
        return Optional.empty();
    }

    private static String hintFor(List<KeySlot> slots, String id) {
        if (slots.stream().noneMatch(s -> s.id().equals(id))) {
            return "'cellar key list' shows the slots' ids";
        }
        return "add another slot first ('cellar key add'), then remove this one";
    }

    /** The slots {@code method} may open, in the order to try them: its own kind first, then the listing order. */
    static List<KeySlot> triedBy(List<KeySlot> slots, UnlockMethod method) {
        return slots.stream().filter(method::mayOpen)
                .sorted(Comparator.comparing(slot -> !method.kind().equals(slot.kind())))
                .toList();
    }

    /** "passphrase, kms": the kinds of these slots, for a message. */
    static String kindsOf(List<KeySlot> slots) {
        return slots.stream().map(KeySlot::kind).distinct().collect(Collectors.joining(", "));
    }

    static String newSlotId(SecureRandom random) {
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        return HexFormat.of().formatHex(idBytes);
    }
}
