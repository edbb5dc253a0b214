package dev.cellar.app;

import dev.cellar.config.KmsConfig;
import dev.cellar.config.Pkcs11Config;
import dev.cellar.config.RepositoryConfig;
import dev.cellar.config.SecretName;
import dev.cellar.config.SecretSource;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.keys.KmsUnlock;
import dev.cellar.keys.Pkcs11Unlock;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.DataKeyring;
import dev.cellar.repo.KeySlot;
import dev.cellar.repo.KeySlots;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.repo.UnlockMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Lists, adds and removes the repository's key slots ({@code cellar key}). Each command first
 * unlocks the repository with the configured method, so a wrong PIN or an unreachable KMS stops
 * it before anything is written; every change is proved (a new slot is opened again from storage)
 * and recorded in the audit trail, which names slots, kinds and key labels or ids, never a secret.
 *
 * <p>For the daemon: takes no repository lock (slots are separate objects no backup writes); may
 * prompt for a passphrase or PIN through the context's prompter.
 */
public final class KeyService {
    /** The label of the HSM key when neither --label nor repository.pkcs11.key-label names one. */
    public static final String DEFAULT_HSM_LABEL = "cellar";

    private final CellarContext context;

    public KeyService(CellarContext context) {
        this.context = context;
    }

    /**
     * One slot as shown to people and scripts: never its wrapped key or salt.
     *
     * @param needs           what unlocking with it takes ("a passphrase", "HSM key 'cellar' at slot index 0 and the token PIN")
     * @param unlockedCommand whether this slot unlocked the command that shows it
     */
    public record SlotView(String id, String kind, Instant created, String needs, boolean unlockedCommand) {
        static SlotView of(KeySlot slot, String unlockedBy) {
            return new SlotView(slot.id(), slot.kind(), slot.createdAt(), KeyService.needs(slot), slot.id().equals(unlockedBy));
        }
    }

    /** @param dataKeys the data keys behind the slots ('cellar key rotate'), oldest first, never their bytes */
    public record KeyListResult(String repository, List<SlotView> slots, List<DataKeyring.DataKeyInfo> dataKeys) {
    }

    public record KeyAddResult(String repository, SlotView added, String unlockedBy) {
    }

    /** @param removedUnlockingSlot the slot removed is the one this command was unlocked with: the configuration must change */
    public record KeyRemoveResult(String repository, SlotView removed, List<SlotView> remaining, boolean removedUnlockingSlot) {
    }

    /** What a new slot is sealed with: the {@code key add} options. */
    public sealed interface NewSlot {
        record Passphrase(Path file) implements NewSlot {
        }

        record KeyFile(Path file) implements NewSlot {
        }

        /** A new random key file is written there first (mode 0600). */
        record NewKeyFile(Path file) implements NewSlot {
        }

        /** An AES key on the configured token, created there if missing; {@code label} null: the configured or default one. */
        record Hsm(String label) implements NewSlot {
        }

        record Kms(String keyId) implements NewSlot {
        }
    }

    public KeyListResult list() {
        Repository repository = context.openRepository();
        List<SlotView> slots = new KeySlots(repository).list().stream().map(s -> SlotView.of(s, repository.unlockedBy())).toList();
        repository.audit().appendForReading("key.list", repository.storage().describe(), AuditRecord.OK, slots.size() + " slot(s)", 0, null);
        return new KeyListResult(repository.storage().describe(), slots, repository.keyring().describe());
    }

    public KeyAddResult add(NewSlot newSlot) {
        Repository repository = context.openRepository();
        Instant begun = repository.clock().instant();
        String target = repository.storage().describe();
        UnlockMethod method = null;
        try {
            method = methodFor(newSlot);
            KeySlot added = new KeySlots(repository).add(method);
            repository.audit().append("key.add", target, AuditRecord.OK, "slot " + added.id() + " (" + added.kind() + describeWhere(added)
                    + ") added, proved by opening it; unlocked by slot " + repository.unlockedBy(), 0, Duration.between(begun, repository.clock().instant()));
            return new KeyAddResult(target, SlotView.of(added, repository.unlockedBy()), repository.unlockedBy());
        } catch (RuntimeException e) {
            repository.audit().appendFailure("key.add", target, "a " + kindOf(newSlot) + " slot", Duration.between(begun, repository.clock().instant()), e);
            throw e;
        } finally {
            if (method != null) {
                method.wipe();
            }
        }
    }

    public KeyRemoveResult remove(String slotId) {
        Repository repository = context.openRepository();
        Instant begun = repository.clock().instant();
        String target = repository.storage().describe();
        try {
            KeySlot removed = new KeySlots(repository).remove(slotId);
            List<SlotView> remaining = new KeySlots(repository).list().stream().map(s -> SlotView.of(s, repository.unlockedBy())).toList();
            boolean wasUnlocking = removed.id().equals(repository.unlockedBy());
            repository.audit().append("key.remove", target, AuditRecord.OK, "slot " + removed.id() + " (" + removed.kind() + describeWhere(removed)
                    + ") removed; " + remaining.size() + " slot(s) remain" + (wasUnlocking ? "; it had unlocked this command" : ""), 0,
                    Duration.between(begun, repository.clock().instant()));
            return new KeyRemoveResult(target, SlotView.of(removed, repository.unlockedBy()), remaining, wasUnlocking);
        } catch (RuntimeException e) {
            repository.audit().appendFailure("key.remove", target, "slot " + slotId, Duration.between(begun, repository.clock().instant()), e);
            throw e;
        }
    }

    private UnlockMethod methodFor(NewSlot newSlot) {
        RepositoryConfig config = context.config().requireRepository();
        return switch (newSlot) {
            case NewSlot.Passphrase p -> {
                char[] passphrase = new SecretSource.FromFile(SecretName.REPOSITORY_PASSPHRASE, p.file()).resolve(context.options().prompter(),
                        context.options().env());
                try {
                    yield RepositorySecret.passphrase(passphrase);
                } finally {
                    Arrays.fill(passphrase, '\0');
                }
            }
            case NewSlot.KeyFile k -> RepositorySecret.keyFile(readKeyFile(k.file()));
            case NewSlot.NewKeyFile k -> {
                InitService.writeNewKeyFile(k.file());
                yield RepositorySecret.keyFile(readKeyFile(k.file()));
            }
            case NewSlot.Hsm h -> {
                Pkcs11Config hsm = config.pkcs11();
                String label = h.label() != null ? h.label() : hsm.keyLabel() != null ? hsm.keyLabel() : DEFAULT_HSM_LABEL;
                yield context.pkcs11(hsm.withKeyLabel(label));
            }
            case NewSlot.Kms k -> KmsUnlock.of(config.kms().withKeyId(k.keyId()), context.options().env());
        };
    }

    private static byte[] readKeyFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read key file " + file + ": " + e.getMessage(),
                    "check the path and that this user may read it");
        }
    }

    private static String kindOf(NewSlot newSlot) {
        return switch (newSlot) {
            case NewSlot.Passphrase p -> RepositorySecret.PASSPHRASE;
            case NewSlot.KeyFile k -> RepositorySecret.KEY_FILE;
            case NewSlot.NewKeyFile k -> RepositorySecret.KEY_FILE;
            case NewSlot.Hsm h -> Pkcs11Unlock.KIND;
            case NewSlot.Kms k -> KmsUnlock.KIND;
        };
    }

    /** Where an HSM or KMS slot's key lives, for the audit trail and messages: labels and ids, never secrets. */
    private static String describeWhere(KeySlot slot) {
        return slot.unlock() == null ? "" : ", " + String.join(", ", slot.unlock().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).sorted().toList());
    }

    /** What unlocking with this slot takes, in words. */
    static String needs(KeySlot slot) {
        return switch (slot.kind()) {
            case RepositorySecret.PASSPHRASE -> "the passphrase (" + slot.kdf() + ")";
            case RepositorySecret.KEY_FILE -> "the key file (" + slot.kdf() + ")";
            case Pkcs11Unlock.KIND -> "HSM key '" + slot.unlockSetting("key-label") + "' on the token at "
                    + (slot.unlockSetting("slot") != null ? "slot " + slot.unlockSetting("slot") : "slot index " + slot.unlockSetting("slot-index"))
                    + ", and the token PIN";
            case KmsUnlock.KIND -> "KMS key " + slot.unlockSetting("key-id") + " in " + slot.unlockSetting("region")
                    + ", and credentials allowed to call kms:Decrypt on it";
            default -> "a " + slot.kind() + " (unknown to this Cellar)";
        };
    }
}
