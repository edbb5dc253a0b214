package dev.cellar.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for every object Cellar stores: a fresh random 96-bit nonce per object (the
 * construction NIST SP 800-38D specifies for random IVs), and the object's name as associated
 * data so a valid ciphertext cannot be passed off as another object.
 *
 * <p>A cipher holds one or more keys by id (a repository's data keys after {@code cellar key
 * rotate}) and seals with its current one. Sealed layouts:
 * <ul>
 *   <li>version 1, key 0 (the repository's first data key): version byte, 12-byte nonce,
 *       ciphertext with its 16-byte tag. Written while key 0 is current, so a repository never
 *       rotated stays readable by Cellar versions that know only this layout.</li>
 *   <li>version 2, any key: version byte, the key id as 4 bytes big-endian, 12-byte nonce,
 *       ciphertext with its tag; the version byte and key id are authenticated too.</li>
 * </ul>
 */
public final class AeadCipher {
    private static final byte VERSION_FIRST_KEY = 1;
    private static final byte VERSION_KEY_ID = 2;
    private static final int KEY_ID_BYTES = 4;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    public static final int KEY_BYTES = 32;
    /** The id of a repository's first data key, the one every version-1 object is sealed with. */
    public static final int FIRST_KEY_ID = 0;

    private final Map<Integer, SecretKeySpec> keys;
    private final int currentKeyId;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(AeadCipher::newCipher);

    /** A cipher of one key, id 0. */
    public AeadCipher(byte[] key) {
        this(Map.of(FIRST_KEY_ID, key), FIRST_KEY_ID);
    }

    /** A cipher that opens objects sealed with any of {@code keysById} and seals with {@code currentKeyId}. */
    public AeadCipher(Map<Integer, byte[]> keysById, int currentKeyId) {
        Map<Integer, SecretKeySpec> specs = new HashMap<>();
        keysById.forEach((id, key) -> {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("AES-256 needs a 32-byte key");
            }
            if (id < 0) {
                throw new IllegalArgumentException("key ids are not negative: " + id);
            }
            specs.put(id, new SecretKeySpec(key, "AES"));
        });
        if (!specs.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("the current key " + currentKeyId + " is not among the keys");
        }
        this.keys = Map.copyOf(specs);
        this.currentKeyId = currentKeyId;
    }

    public int currentKeyId() {
        return currentKeyId;
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        int prefix = currentKeyId == FIRST_KEY_ID ? 1 : 1 + KEY_ID_BYTES;
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] out = new byte[prefix + NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            if (currentKeyId == FIRST_KEY_ID) {
                out[0] = VERSION_FIRST_KEY;
            } else {
                out[0] = VERSION_KEY_ID;
                writeKeyId(out, currentKeyId);
                cipher.updateAAD(out, 0, prefix);
            }
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            System.arraycopy(nonce, 0, out, prefix, NONCE_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, out, prefix + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Decrypts and authenticates; throws {@link AuthenticationFailedException} on any tampering. */
    public byte[] open(byte[] sealed, String associatedData) {
        int keyId = keyIdOf(sealed);
        int prefix = sealed[0] == VERSION_FIRST_KEY ? 1 : 1 + KEY_ID_BYTES;
        if (sealed.length < prefix + NONCE_BYTES + TAG_BITS / 8) {
            throw new AuthenticationFailedException("sealed object is truncated");
        }
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new AuthenticationFailedException("sealed with data key " + keyId + ", which this repository's keyring does not hold");
        }
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, prefix, NONCE_BYTES));
            if (prefix > 1) {
                cipher.updateAAD(sealed, 0, prefix);
            }
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, prefix + NONCE_BYTES, sealed.length - prefix - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new AuthenticationFailedException("authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /**
     * The id of the key a sealed object says it was sealed with, read from its first bytes and
     * not yet authenticated ({@link #open} authenticates it).
     */
    public static int keyIdOf(byte[] sealed) {
        if (sealed.length >= 1 && sealed[0] == VERSION_FIRST_KEY) {
            return FIRST_KEY_ID;
        }
        if (sealed.length >= 1 + KEY_ID_BYTES && sealed[0] == VERSION_KEY_ID) {
            return ((sealed[1] & 0xff) << 24) | ((sealed[2] & 0xff) << 16) | ((sealed[3] & 0xff) << 8) | (sealed[4] & 0xff);
        }
        throw new AuthenticationFailedException("sealed object is truncated or has an unknown version");
    }

    private static void writeKeyId(byte[] out, int keyId) {
        out[1] = (byte) (keyId >>> 24);
        out[2] = (byte) (keyId >>> 16);
        out[3] = (byte) (keyId >>> 8);
        out[4] = (byte) keyId;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES/GCM", e);
        }
    }

    /** Ciphertext does not authenticate: wrong key, or the bytes were changed. */
    public static final class AuthenticationFailedException extends RuntimeException {
        public AuthenticationFailedException(String message) {
            super(message);
        }
    }
}
