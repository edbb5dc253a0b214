package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.LocalStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-slot format and the decisions over slots: which to try, which may be removed, a new slot proved before it counts. */
class KeySlotsTest {
    @TempDir
    Path folder;

    private static KeySlot slot(String id, String kind, String kdf) {
        return new KeySlot(id, kind, kdf, "c2FsdA==", 64, 1, 1, "d3JhcHBlZA==", Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aPassphraseSlotIsWrittenWithExactlyTheFieldsItAlwaysHadAndAnOldSlotStillOpens() throws Exception {
        LocalStorage storage = new LocalStorage(folder);
        Repository created = Repository.init(storage, TestRepositories.passphrase("old format").withCost(TestRepositories.CHEAP_KDF),
                TestRepositories.SMALL_CHUNKS, Clock.systemUTC());
        String key = KeySlot.PREFIX + created.unlockedBy() + ".json";
        String json = new String(storage.read(key, bytes -> bytes), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("unlock");
        assertThat(RepositoryJson.mapper().readTree(json).fieldNames()).toIterable().containsExactlyInAnyOrder(
                "id", "kind", "kdf", "saltBase64", "memoryKib", "iterations", "parallelism", "wrappedKeyBase64", "createdAt");
        Repository opened = Repository.open(storage, TestRepositories.passphrase("old format"), Clock.systemUTC());
        assertThat(opened.unlockedBy()).isEqualTo(created.unlockedBy());
    }

    @Test
    void aHeldSlotRecordsWhereItsKeyLivesAndReadsBackTheSame() throws Exception {
        KeySlot held = KeySlot.held("0123456789abcdef", "kms", "aws-kms", "YmxvYg==", Instant.parse("2026-02-03T04:05:06Z"),
                Map.of("key-id", "alias/cellar", "region", "eu-west-1"));

        KeySlot read = RepositoryJson.read(RepositoryJson.write(held), KeySlot.class);

        assertThat(read).isEqualTo(held);
        assertThat(read.unlockSetting("key-id")).isEqualTo("alias/cellar");
        assertThat(read.saltBase64()).isEmpty();
    }

    @Test
    void aMethodTriesOnlyTheSlotsItMayOpenItsOwnKindFirst() {
        KeySlot passphrase = slot("a", RepositorySecret.PASSPHRASE, "argon2id");
        KeySlot kms = KeySlot.held("b", "kms", "aws-kms", "eA==", Instant.EPOCH, Map.of("key-id", "k"));
        KeySlot keyFile = slot("c", RepositorySecret.KEY_FILE, "hkdf-sha256");

        assertThat(KeySlots.triedBy(List.of(passphrase, kms, keyFile), RepositorySecret.keyFile(new byte[] {1})))
                .extracting(KeySlot::id).containsExactly("c", "a");
        assertThat(KeySlots.triedBy(List.of(passphrase, kms, keyFile), TestRepositories.passphrase("p")))
                .extracting(KeySlot::id).containsExactly("a", "c");
    }

    @Test
    void theLastSlotAndAnUnknownSlotAreNeverRemovedTheUnlockingOneIsWhileAnotherRemains() {
        KeySlot one = slot("one", RepositorySecret.PASSPHRASE, "argon2id");
        KeySlot two = slot("two", "kms", "aws-kms");

        assertThat(KeySlots.refusalToRemove(List.of(one), "one")).hasValueSatisfying(r -> assertThat(r).contains("last key slot"));
        assertThat(KeySlots.refusalToRemove(List.of(one, two), "three")).hasValueSatisfying(r -> assertThat(r).contains("no key slot three"));
        assertThat(KeySlots.refusalToRemove(List.of(one, two), "one")).isEmpty();
    }

    @Test
    void aSlotAddedIsProvedAndOpensTheSameRepositoryAndTheLastSlotCannotBeRemoved() {
        LocalStorage storage = new LocalStorage(folder);
        Repository repository = Repository.init(storage, TestRepositories.passphrase("first").withCost(TestRepositories.CHEAP_KDF),
                TestRepositories.SMALL_CHUNKS, Clock.systemUTC());
        KeySlots slots = new KeySlots(repository);

        KeySlot second = slots.add(TestRepositories.passphrase("second").withCost(TestRepositories.CHEAP_KDF));
        Repository bySecond = Repository.open(storage, TestRepositories.passphrase("second"), Clock.systemUTC());
        assertThat(bySecond.unlockedBy()).isEqualTo(second.id());
        assertThat(bySecond.derivedKey("archive")).isEqualTo(repository.derivedKey("archive"));

        slots.remove(repository.unlockedBy());
        assertThatThrownBy(() -> Repository.open(storage, TestRepositories.passphrase("first"), Clock.systemUTC()))
                .isInstanceOf(CellarException.class).extracting(e -> ((CellarException) e).code()).isEqualTo(ErrorCode.WRONG_KEY);
        assertThatThrownBy(() -> new KeySlots(bySecond).remove(second.id()))
                .isInstanceOf(CellarException.class).extracting(e -> ((CellarException) e).code()).isEqualTo(ErrorCode.KEY_SLOT_REFUSED);
        assertThat(new KeySlots(bySecond).list()).extracting(KeySlot::id).containsExactly(second.id());
    }

    @Test
    void aSlotWithOneFlippedByteOpensNothing() {
        LocalStorage storage = new LocalStorage(folder);
        Repository repository = Repository.init(storage, TestRepositories.passphrase("flip").withCost(TestRepositories.CHEAP_KDF),
                TestRepositories.SMALL_CHUNKS, Clock.systemUTC());
        KeySlot stored = new KeySlots(repository).list().get(0);
        byte[] wrapped = Base64.getDecoder().decode(stored.wrappedKeyBase64());
        wrapped[wrapped.length / 2] ^= 1;
        KeySlot flipped = new KeySlot(stored.id(), stored.kind(), stored.kdf(), stored.saltBase64(), stored.memoryKib(), stored.iterations(),
                stored.parallelism(), Base64.getEncoder().encodeToString(wrapped), stored.createdAt());
        storage.put(flipped.storageKey(), RepositoryJson.write(flipped));

        assertThatThrownBy(() -> Repository.open(storage, TestRepositories.passphrase("flip"), Clock.systemUTC()))
                .isInstanceOf(CellarException.class).extracting(e -> ((CellarException) e).code()).isEqualTo(ErrorCode.WRONG_KEY);
    }

    @Test
    void aMethodWithoutASlotOfItsKindIsToldWhichKindsTheRepositoryHas() {
        LocalStorage storage = new LocalStorage(folder);
        Repository.init(storage, TestRepositories.passphrase("p").withCost(TestRepositories.CHEAP_KDF), TestRepositories.SMALL_CHUNKS, Clock.systemUTC());
        UnlockMethod kmsLike = new UnlockMethod() {
            public String kind() {
                return "kms";
            }

            public boolean mayOpen(KeySlot slot) {
                return "kms".equals(slot.kind());
            }

            public KeySlot seal(byte[] material, String repositoryId, String slotId, Instant now) {
                throw new UnsupportedOperationException();
            }

            public byte[] open(KeySlot slot, String repositoryId) {
                throw new NotThisSlot(slot.id());
            }

            public String describe() {
                return "a KMS key";
            }

            public String settingsToCheck() {
                return "repository.kms.key-id";
            }
        };

        assertThatThrownBy(() -> Repository.open(storage, kmsLike, Clock.systemUTC()))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("has no kms key slot (its slots: passphrase)")
                .extracting(e -> ((CellarException) e).code()).isEqualTo(ErrorCode.WRONG_KEY);
    }
}
