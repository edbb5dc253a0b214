package dev.cellar.pipeline;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chunk ids: HMAC-SHA256 of the plaintext under a repository secret. Equal content gets the same
 * id (deduplication) without the storage provider being able to confirm a guessed plaintext.
 */
public final class KeyedHasher {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public KeyedHasher(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String idOf(byte[] data, int offset, int length) {
        Mac mac = macs.get();
        mac.update(data, offset, length);
        return HexFormat.of().formatHex(mac.doFinal());
    }

    public String idOf(byte[] data) {
        return idOf(data, 0, data.length);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }
}
