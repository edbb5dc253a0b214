package dev.cellar.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key material this process already unwrapped through an HSM or KMS, by slot, repository and by
 * what opened it (module, token, key; KMS endpoint, key and credentials), never by a secret itself: a PIN is
 * only part of a SHA-256. {@code cellar server} opens the repository for many requests, and a
 * round trip to KMS or the token for each would cost time and KMS requests for nothing.
 */
final class OpenedSlots {
    private static final Map<String, byte[]> OPENED = new ConcurrentHashMap<>();
    private static final int MAX = 64;

    private OpenedSlots() {
    }

    static byte[] get(String identity) {
        byte[] known = OPENED.get(identity);
        return known == null ? null : known.clone();
    }

    static void put(String identity, byte[] material) {
        if (OPENED.size() >= MAX) {
            OPENED.clear();
        }
        OPENED.put(identity, material.clone());
    }

    /** The identity of one opening: the parts joined, each secret part only as a salted SHA-256. */
    static String identity(String slotId, String wrapped, String opener, char[] secret) {
        if (secret == null) {
            return slotId + ":" + wrapped + ":" + opener;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((slotId + ":" + opener).getBytes(StandardCharsets.UTF_8));
            sha.update(new String(secret).getBytes(StandardCharsets.UTF_8));
            return slotId + ":" + wrapped + ":" + opener + ":" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
