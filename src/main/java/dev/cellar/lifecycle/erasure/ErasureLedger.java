package dev.cellar.lifecycle.erasure;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The erasure ledger: one sealed object per entry under {@code erasures/ledger/}, numbered from 1
 * and hash-chained (each entry holds the SHA-256 of the previous entry's plaintext). Sealed with
 * AES-256-GCM under a key derived from the repository's data key for this purpose only, with the
 * object key as associated data, so an entry moved to another number does not open. Appends
 * use create-if-absent: of two concurrent writers one wins the number, the other re-reads the
 * ledger and takes the next one.
 */
public final class ErasureLedger {
    public static final String PREFIX = RepositoryLayout.ERASURES + "ledger/";
    public static final String KEY_PURPOSE = "erasure-ledger-objects";
    public static final String GENESIS = "genesis";
    private static final int MAX_ATTEMPTS = 50;

    private final Storage storage;
    private final AeadCipher cipher;

    public ErasureLedger(Storage storage, byte[] key) {
        this.storage = storage;
        this.cipher = new AeadCipher(key);
    }

    public static ErasureLedger of(Repository repository) {
        return new ErasureLedger(repository.storage(), repository.derivedKey(KEY_PURPOSE));
    }

    static String keyOf(long sequence) {
        return PREFIX + String.format("%012d", sequence);
    }

    /** Every entry that can be read, and every problem with the chain. */
    public LedgerContents read() {
        List<LedgerChainCheck.StoredEntry> stored = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String key : storage.list(PREFIX)) {
            long sequence;
            try {
                sequence = Long.parseLong(key.substring(PREFIX.length()));
            } catch (NumberFormatException e) {
                problems.add(key + " is not a ledger entry's name");
                continue;
            }
            try {
                byte[] plaintext = cipher.open(storage.get(key), key);
                stored.add(new LedgerChainCheck.StoredEntry(key, sequence, plaintext, RepositoryJson.read(plaintext, LedgerEntry.class)));
            } catch (AeadCipher.AuthenticationFailedException e) {
                problems.add("entry " + sequence + " (" + key + ") cannot be authenticated: changed, moved or sealed with another key");
            } catch (IOException e) {
                problems.add("entry " + sequence + " (" + key + ") is not a ledger entry: " + e.getMessage());
            }
        }
        problems.addAll(0, LedgerChainCheck.check(stored));
        return new LedgerContents(stored.stream().map(LedgerChainCheck.StoredEntry::entry).toList(), problems);
    }

    /**
     * Writes {@code draft} as the next entry (its sequence and link are set here) and returns it as written.
     */
    public LedgerEntry append(LedgerEntry draft) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<String> keys = storage.list(PREFIX);
            long next = 1;
            String previous = GENESIS;
            if (!keys.isEmpty()) {
                String last = keys.get(keys.size() - 1);
                next = Long.parseLong(last.substring(PREFIX.length())) + 1;
                previous = LedgerChainCheck.sha256(openOrRefuse(last));
            }
            LedgerEntry entry = draft.at(next, previous);
            String key = keyOf(next);
            if (storage.putIfAbsent(key, cipher.seal(RepositoryJson.write(entry), key))) {
                return entry;
            }
        }
        throw new CellarException(ErrorCode.LOCKED, "could not append to the erasure ledger: " + MAX_ATTEMPTS
                + " other writers took the next number first", "run the command again");
    }

    private byte[] openOrRefuse(String key) {
        try {
            return cipher.open(storage.get(key), key);
        } catch (AeadCipher.AuthenticationFailedException e) {
            throw new CellarException(ErrorCode.INTEGRITY, "the last erasure ledger entry " + key + " cannot be authenticated",
                    "run 'cellar gdpr ledger verify' and see docs/gdpr.md (a damaged ledger)");
        }
    }
}
