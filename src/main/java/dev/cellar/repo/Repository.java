package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.pipeline.FastCdcChunker;
import dev.cellar.pipeline.KeyedHasher;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An open, unlocked repository: the entry point to its chunks, manifests, locks and audit log.
 * Opening checks the header and the key before anything else, so a wrong passphrase fails in
 * the first second, not after an hour of pg_dump.
 */
public final class Repository {
    private final Storage storage;
    private final RepositoryHeader header;
    private final ChunkStore chunks;
    private final ManifestStore manifests;
    private final WalStore wal;
    private final RepositoryLock locks;
    private final AuditLog audit;
    private final FastCdcChunker chunker;
    private final Clock clock;
    private final KeyMaterial keys;
    private final DataKeyring keyring;
    private final Actor actor;
    private final RepositoryNotices notices;
    /** The id of the key slot that opened this repository. */
    private String unlockedBy;

    private Repository(Storage storage, RepositoryHeader header, KeyMaterial keys, Clock clock, Actor actor) {
        this(storage, header, keys, DataKeyring.load(storage, keys, header.createdAt()), clock, actor, new RepositoryNotices(), storage);
    }

    /** @param auditTrail where audit records are appended: the whole repository's storage, also for a repository on one copy */
    private Repository(Storage storage, RepositoryHeader header, KeyMaterial keys, DataKeyring keyring, Clock clock, Actor actor,
                       RepositoryNotices notices, Storage auditTrail) {
        this.storage = storage;
        this.notices = notices;
        this.header = header;
        this.clock = clock;
        this.keys = keys;
        this.keyring = keyring;
        this.actor = actor;
        AeadCipher cipher = keyring.cipher();
        KeyedHasher hasher = new KeyedHasher(keys.idKey());
        KeyedHasher auditMacs = new KeyedHasher(hasher.idOf("cellar-audit".getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII));
        this.chunks = new ChunkStore(storage, cipher, hasher);
        this.manifests = new ManifestStore(storage, cipher, header.compressesManifests());
        this.wal = new WalStore(storage, cipher);
        this.audit = new AuditLog(storage, auditTrail, auditMacs, clock, actor, notices);
        this.locks = new RepositoryLock(storage, clock, actor, this::recordAbandoned, notices);
        this.chunker = new FastCdcChunker(header.chunker(), keys.chunkerSeed());
    }

    /** Creates a new repository; refuses if the storage already holds one. */
    public static Repository init(Storage storage, UnlockMethod firstSlot, ChunkerParameters chunker, Clock clock) {
        if (storage.exists(RepositoryHeader.KEY)) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, "a Cellar repository already exists at " + storage.describe(),
                    "use it as it is, or choose an empty location for a new one");
        }
        if (!storage.list("").isEmpty()) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, storage.describe() + " is not empty and holds no Cellar repository",
                    "choose an empty or new folder for the repository");
        }
        SecureRandom random = new SecureRandom();
        byte[] idBytes = new byte[16];
        random.nextBytes(idBytes);
        RepositoryHeader header = RepositoryHeader.create(HexFormat.of().formatHex(idBytes), clock.instant(), chunker);
        KeyMaterial keys = KeyMaterial.generate(random);
        KeySlot slot = firstSlot.seal(keys.toBytes(), header.repositoryId(), KeySlots.newSlotId(random), clock.instant());
        // Key first, header last: a folder with a header always has a key to open it.
        storage.put(slot.storageKey(), RepositoryJson.write(slot));
        if (!storage.putIfAbsent(RepositoryHeader.KEY, RepositoryJson.write(header))) {
            storage.delete(slot.storageKey());
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, "another process initialised " + storage.describe() + " at the same time");
        }
        Repository repository = new Repository(storage, header, keys, clock, Actor.current());
        repository.unlockedBy = slot.id();
        return repository;
    }

    /** Seam for tests: a cheap key-derivation cost, so a test repository takes milliseconds, not seconds. */
    static Repository init(Storage storage, RepositorySecret secret, ChunkerParameters chunker, Clock clock, KeyWrapper.Cost kdfCost) {
        return init(storage, secret.withCost(kdfCost), chunker, clock);
    }

    /**
     * Unlocks the repository with the first slot {@code method} opens, trying the slots of its own
     * kind first (a key file would pay an Argon2id derivation to fail on a passphrase slot).
     */
    public static Repository open(Storage storage, UnlockMethod method, Clock clock) {
        RepositoryHeader header = readHeader(storage);
        List<KeySlot> slots = readSlots(storage);
        List<KeySlot> tried = KeySlots.triedBy(slots, method);
        if (tried.isEmpty()) {
            throw new CellarException(ErrorCode.WRONG_KEY, "repository " + storage.describe() + " has no " + method.kind()
                    + " key slot (its slots: " + KeySlots.kindsOf(slots) + ")",
                    "unlock it with one of those, then add a " + method.kind() + " slot with 'cellar key add'; nothing was changed");
        }
        for (KeySlot slot : tried) {
            try {
                KeyMaterial keys = KeyMaterial.fromBytes(method.open(slot, header.repositoryId()));
                Repository repository = new Repository(storage, header, keys, clock, Actor.current());
                repository.unlockedBy = slot.id();
                return repository;
            } catch (UnlockMethod.NotThisSlot notThisOne) {
                // try the next slot
            }
        }
        throw new CellarException(ErrorCode.WRONG_KEY,
                method.describe() + " does not open repository " + storage.describe(),
                "check " + method.settingsToCheck() + "; nothing was changed");
    }

    public static RepositoryHeader readHeader(Storage storage) {
        try {
            // parsed and checked inside the read, so a storage with several copies tries the next on damage
            return storage.read(RepositoryHeader.KEY, json -> parseHeader(storage, json));
        } catch (NoSuchObjectException e) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, "no Cellar repository at " + storage.describe(),
                    "check repository.path, or create one with 'cellar init'");
        }
    }

    private static RepositoryHeader parseHeader(Storage storage, byte[] json) {
        RepositoryHeader header;
        try {
            header = RepositoryJson.read(json, RepositoryHeader.class);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, "the header " + RepositoryHeader.KEY + " of " + storage.describe()
                    + " is not valid JSON: " + e.getMessage(), "restore cellar.json from another copy of the repository");
        }
        if (!RepositoryHeader.MAGIC.equals(header.magic()) || !header.readable()) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, storage.describe() + " holds repository format "
                    + header.formatVersion() + ", this Cellar reads formats " + RepositoryHeader.FIRST_FORMAT_VERSION + " to "
                    + RepositoryHeader.FORMAT_VERSION, "use the Cellar version that wrote it, or a newer one");
        }
        return header;
    }

    /** Every readable key slot; a damaged one is left out, so that it cannot hide a good one. */
    static List<KeySlot> readSlots(Storage storage) {
        List<KeySlot> slots = new ArrayList<>();
        for (String key : storage.list(KeySlot.PREFIX)) {
            try {
                slots.add(storage.read(key, json -> parseSlot(key, json)));
            } catch (RuntimeException e) {
                // a damaged slot must not hide a good one
            }
        }
        if (slots.isEmpty()) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, "repository " + storage.describe() + " has no readable key in keys/",
                    "restore the keys/ folder from another copy of the repository");
        }
        return slots;
    }

    private static KeySlot parseSlot(String key, byte[] json) {
        try {
            return RepositoryJson.read(json, KeySlot.class);
        } catch (IOException e) {
            throw new CorruptObjectException(key, "is not a readable key slot: " + e.getMessage());
        }
    }

    /**
     * This repository, unlocked with the same keys, on one copy of it: for the commands that
     * work on each copy apart (verify, repo sync). A copy with a header must hold this
     * repository; a copy without one (an empty copy being filled) is accepted. Its audit trail is
     * read from that copy, but records are appended where this repository appends them: the
     * trail is one per repository, and an operation on one copy is an operation on the repository.
     */
    public Repository onCopy(Storage copy) {
        if (copy.exists(RepositoryHeader.KEY)) {
            RepositoryHeader other = readHeader(copy);
            if (!other.repositoryId().equals(header.repositoryId())) {
                throw new CellarException(ErrorCode.REPOSITORY_INVALID, copy.describe() + " holds repository " + other.repositoryId()
                        + ", not " + header.repositoryId() + " like the other copies",
                        "each configured copy must be a copy of the same repository; point it at an empty folder or bucket "
                                + "and run 'cellar repo sync' to fill it");
            }
        }
        // the keyring is the repository's: a copy still being filled may not hold every keyring object yet
        Repository onCopy = new Repository(copy, header, keys, keyring, clock, actor, notices, audit.appendTarget());
        onCopy.unlockedBy = unlockedBy;
        return onCopy;
    }

    public Storage storage() {
        return storage;
    }

    public RepositoryHeader header() {
        return header;
    }

    public ChunkStore chunks() {
        return chunks;
    }

    public ManifestStore manifests() {
        return manifests;
    }

    public WalStore wal() {
        return wal;
    }

    public RepositoryLock locks() {
        return locks;
    }

    /** A process died holding a lock: nothing but the one who breaks the lock can say so in the audit trail. */
    private void recordAbandoned(LockInfo stale) {
        try {
            AuditedOperation.recordAbandoned(audit, stale);
        } catch (RuntimeException auditFailure) {
            // the lock is gone all the same, and reported by the command that broke it
        }
    }

    public AuditLog audit() {
        return audit;
    }

    /**
     * A 32-byte key of its own for one purpose ({@code "archive"}, {@code "erasure-ledger"}),
     * derived from the repository's data key with HMAC-SHA256 (the expand step of RFC 5869 with a
     * single block): a key shown to an auditor for one purpose opens nothing else.
     */
    public byte[] derivedKey(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(keys.dataKey(), "HmacSHA256"));
            mac.update(("cellar/" + purpose).getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(new byte[] {1});
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }

    /** Reads the keyring objects again: a damaged one throws {@link CorruptObjectException} naming it (for verify). */
    public void checkKeyring() {
        DataKeyring.load(storage, keys, header.createdAt());
    }

    /** The data keys: which one seals new objects, and every one that opens old ones. */
    public DataKeyring keyring() {
        return keyring;
    }

    /**
     * Adds a data key and returns this repository re-opened with it, so what the caller writes
     * from now on is sealed with the new key. Objects already stored keep their key until re-encrypted.
     */
    public RotatedRepository rotateDataKey() {
        DataKeyring.DataKeyInfo added = DataKeyring.rotate(storage, keys, keyring, clock.instant(), actor);
        DataKeyring reloaded = DataKeyring.load(storage, keys, header.createdAt());
        Repository rotated = new Repository(storage, header, keys, reloaded, clock, actor, notices, audit.appendTarget());
        rotated.unlockedBy = unlockedBy;
        return new RotatedRepository(added, rotated);
    }

    /** A data key just added, and the repository that seals with it. */
    public record RotatedRepository(DataKeyring.DataKeyInfo added, Repository repository) {
    }

    /** The id of the key slot that opened this repository: {@code key remove} keeps it unless another remains. */
    public String unlockedBy() {
        return unlockedBy;
    }

    /** The key material, for sealing a new slot ({@link KeySlots}): never leaves this package. */
    KeyMaterial keyMaterial() {
        return keys;
    }

    public FastCdcChunker chunker() {
        return chunker;
    }

    public Clock clock() {
        return clock;
    }

    /** What this command met that its operator must hear (a repository refusing writes, damaged manifests skipped). */
    public RepositoryNotices notices() {
        return notices;
    }
}
