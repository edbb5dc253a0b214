package dev.cellar.repo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which key-derivation function a new key slot uses. Argon2id is memory-hard so that guessing a
 * passphrase stays expensive; a key file of at least 256 random bits cannot be guessed, so for it
 * the 64 MiB and hundreds of milliseconds buy nothing and HKDF-SHA256 (RFC 5869) is enough.
 * Only a key file that is recognisably a random key (the one-line base64 or hex that
 * {@code init --new-key-file}, {@code openssl rand -base64 32} or {@code openssl rand -hex 32}
 * write) gets HKDF: any other file may be something a person typed, and keeps Argon2id.
 */
enum SlotKdf {
    ARGON2ID("argon2id"),
    HKDF_SHA256("hkdf-sha256");

    static final int MIN_RANDOM_BYTES = 32;
    private static final Pattern BASE64_KEY = Pattern.compile("[A-Za-z0-9+/]{43,}={0,2}");
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64,}");

    private final String recorded;

    SlotKdf(String recorded) {
        this.recorded = recorded;
    }

    /** The name written into the slot's {@code kdf} field. */
    String recorded() {
        return recorded;
    }

    /** The KDF a slot records, or null for a name this Cellar does not know. */
    static SlotKdf ofRecorded(String name) {
        for (SlotKdf kdf : values()) {
            if (kdf.recorded.equals(name)) {
                return kdf;
            }
        }
        return null;
    }

    /** The KDF for a new slot opened by this kind of secret with these bytes. */
    static SlotKdf forNewSlot(String kind, byte[] secret) {
        return RepositorySecret.KEY_FILE.equals(kind) && holdsRandomKey(secret) ? HKDF_SHA256 : ARGON2ID;
    }

    /** One line (a final newline allowed) of base64 or hex that decodes to at least 32 bytes. */
    static boolean holdsRandomKey(byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (text.isEmpty() || text.length() > 4096 || text.chars().anyMatch(c -> c > 126 || c < 33)) {
            return false;
        }
        // random text of this length all but surely mixes these classes; words typed by a person rarely do
        if (HEX_KEY.matcher(text).matches()) {
            return text.length() % 2 == 0 && has(text, "0123456789") && has(text.toLowerCase(Locale.ROOT), "abcdef");
        }
        if (BASE64_KEY.matcher(text).matches() && text.length() % 4 == 0
                && has(text, "0123456789") && has(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && has(text, "abcdefghijklmnopqrstuvwxyz")) {
            int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
            return text.length() / 4 * 3 - padding >= MIN_RANDOM_BYTES;
        }
        return false;
    }

    private static boolean has(String text, String anyOf) {
        return text.chars().anyMatch(c -> anyOf.indexOf(c) >= 0);
    }
}
