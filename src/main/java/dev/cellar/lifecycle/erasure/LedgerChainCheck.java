package dev.cellar.lifecycle.erasure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks the erasure ledger's chain over entries already decrypted: sequences from 1 without a
 * gap, each entry naming the SHA-256 of the one before, each application pointing at a request of
 * the same subject, each rule matching its digest. A deleted entry shows as a gap, an edited one
 * (re-sealed by someone holding the key) as a broken link in the entry after it.
 */
public final class LedgerChainCheck {
    private LedgerChainCheck() {
    }

    /** An entry as read from storage: its object key, the sequence its key names, its plaintext, and the plaintext parsed. */
    public record StoredEntry(String key, long keySequence, byte[] plaintext, LedgerEntry entry) {
    }

    /** Problems found, in ledger order; empty when the chain is whole. */
    public static List<String> check(List<StoredEntry> stored) {
        List<String> problems = new ArrayList<>();
        Map<Long, LedgerEntry> requests = new HashMap<>();
        long expected = 1;
        String previous = ErasureLedger.GENESIS;
        for (StoredEntry s : stored) {
            LedgerEntry e = s.entry();
            if (e.sequence() != s.keySequence()) {
                problems.add(s.key() + " holds entry " + e.sequence() + ": an entry was copied over another");
            }
            if (s.keySequence() != expected) {
                problems.add(expected == s.keySequence() - 1 ? "entry " + expected + " is missing"
                        : "entries " + expected + " to " + (s.keySequence() - 1) + " are missing");
            } else if (!previous.equals(e.previousSha256())) {
                problems.add("entry " + e.sequence() + " does not follow entry " + (e.sequence() - 1)
                        + ": one of the two was changed after it was written");
            }
            if (e.rule() == null || !e.rule().consistent()) {
                problems.add("entry " + e.sequence() + ": its rule does not match the rule's digest");
            }
            if (e.makesRequest()) {
                if (e.request() != e.sequence()) {
                    problems.add("entry " + e.sequence() + " is a request but names request " + e.request());
                }
                requests.put(e.sequence(), e);
            } else {
                LedgerEntry request = requests.get(e.request());
                if (request == null) {
                    problems.add("entry " + e.sequence() + " applies request " + e.request() + ", which no earlier entry holds");
                } else if (!request.subjectHash().equals(e.subjectHash()) || !request.database().equals(e.database())) {
                    problems.add("entry " + e.sequence() + " applies request " + e.request() + " to another subject or database");
                }
            }
            expected = s.keySequence() + 1;
            previous = sha256(s.plaintext());
        }
        return problems;
    }

    static String sha256(byte[] plaintext) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plaintext));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
