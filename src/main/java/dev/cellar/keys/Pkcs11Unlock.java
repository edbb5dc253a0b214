package dev.cellar.keys;

import dev.cellar.config.ConfigKey;
import dev.cellar.config.Pkcs11Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.KeySlot;
import dev.cellar.repo.UnlockMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Unlocks with an AES-256 key on a PKCS#11 token (an HSM; SoftHSM2 in the tests) through the
 * JDK's SunPKCS11 provider, configured at run time: the token seals and opens the key material
 * with AES-GCM, and the key, generated on the token as sensitive and not extractable, never
 * leaves it. A wrong PIN, a missing module, token or key each stop the opening with their own
 * error code before any work.
 */
public final class Pkcs11Unlock implements UnlockMethod {
    public static final String KIND = "pkcs11";
    static final String SCHEME = "pkcs11-aes-gcm";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** One provider per module and slot: a module is initialised once per process. */
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    private final Path library;
    private final Long slot;
    private final int slotIndex;
    private final String keyLabel;
    private final char[] pin;
    private KeyStore token;

    private Pkcs11Unlock(Path library, Long slot, int slotIndex, String keyLabel, char[] pin) {
        this.library = library;
        this.slot = slot;
        this.slotIndex = slotIndex;
        this.keyLabel = keyLabel;
        this.pin = pin;
    }

    /** The method of {@code config}, with its PIN already read; the PIN is wiped by {@link #wipe()}. */
    public static Pkcs11Unlock of(Pkcs11Config config, char[] pin) {
        return new Pkcs11Unlock(Pkcs11Library.resolve(config.library()), config.slot(), config.slotIndex(), config.keyLabel(), pin.clone());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean mayOpen(KeySlot slot) {
        return KIND.equals(slot.kind()) && SCHEME.equals(slot.kdf());
    }

    @Override
    public KeySlot seal(byte[] material, String repositoryId, String slotId, Instant now) {
        Key key = keyOnToken(true);
        try {
            byte[] iv = new byte[IV_BYTES];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider());
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(repositoryId, slotId));
            byte[] sealed = cipher.doFinal(material);
            byte[] stored = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return KeySlot.held(slotId, KIND, SCHEME, Base64.getEncoder().encodeToString(stored), now, where());
        } catch (GeneralSecurityException | ProviderException e) {
            throw new CellarException(ErrorCode.HSM_KEY_MISSING, "the HSM could not seal with key '" + keyLabel + "': " + e.getMessage(),
                    "check that the key is an AES key allowed to encrypt (CKA_ENCRYPT) and the token supports CKM_AES_GCM");
        }
    }

    @Override
    public byte[] open(KeySlot slot, String repositoryId) {
        String identity = OpenedSlots.identity(slot.id(), slot.wrappedKeyBase64(), repositoryId + "|" + library + "|" + tokenName() + "|" + keyLabel, pin);
        byte[] known = OpenedSlots.get(identity);
        if (known != null) {
            return known;
        }
        // log in first: a wrong PIN must be reported as such, whichever slot is tried
        Key key = keyOnToken(false);
        if (!keyLabel.equals(slot.unlockSetting("key-label"))) {
            throw new NotThisSlot(slot.id());
        }
        byte[] stored = Base64.getDecoder().decode(slot.wrappedKeyBase64());
        if (stored.length <= IV_BYTES) {
            throw new NotThisSlot(slot.id());
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider());
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
            cipher.updateAAD(associatedData(repositoryId, slot.id()));
            byte[] material = cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
            OpenedSlots.put(identity, material);
            return material;
        } catch (AEADBadTagException wrongKeyOrDamaged) {
            throw new NotThisSlot(slot.id());
        } catch (GeneralSecurityException | ProviderException e) {
            // SoftHSM2 reports a failed GCM tag as a general error: the slot is not opened by this key either way
            throw new NotThisSlot(slot.id());
        }
    }

    @Override
    public String describe() {
        return "the HSM key '" + keyLabel + "' on " + tokenName();
    }

    @Override
    public String settingsToCheck() {
        return ConfigKey.REPOSITORY_PKCS11_KEY_LABEL.dotted() + " and " + ConfigKey.REPOSITORY_PKCS11_SLOT.dotted() + " / "
                + ConfigKey.REPOSITORY_PKCS11_SLOT_INDEX.dotted() + " (the key that sealed the slot: 'cellar key list' shows it)";
    }

    @Override
    public void wipe() {
        Arrays.fill(pin, '\0');
    }

    private String tokenName() {
        return slot != null ? "the token in slot " + slot : "the token at slot index " + slotIndex;
    }

    private Map<String, String> where() {
        Map<String, String> where = new LinkedHashMap<>();
        where.put("key-label", keyLabel);
        if (slot != null) {
            where.put("slot", Long.toString(slot));
        } else {
            where.put("slot-index", Integer.toString(slotIndex));
        }
        return where;
    }

    /** Binds a sealed copy to its repository and slot: moved into another slot or repository, it no longer opens. */
    private static byte[] associatedData(String repositoryId, String slotId) {
        return ("cellar-key-slot:" + repositoryId + ":" + slotId).getBytes(StandardCharsets.US_ASCII);
    }

    /** The wrapping key on the token, created there (sensitive, not extractable) when {@code create} and it is missing. */
    private Key keyOnToken(boolean create) {
        KeyStore store = loggedIn();
        try {
            Key key = store.getKey(keyLabel, null);
            if (key == null && create) {
                KeyGenerator generator = KeyGenerator.getInstance("AES", provider());
                generator.init(256);
                SecretKey generated = generator.generateKey();
                store.setEntry(keyLabel, new KeyStore.SecretKeyEntry(generated), null);
                key = store.getKey(keyLabel, null);
            }
            if (key == null) {
                throw new CellarException(ErrorCode.HSM_KEY_MISSING, "there is no key labelled '" + keyLabel + "' on " + tokenName(),
                        "check " + ConfigKey.REPOSITORY_PKCS11_KEY_LABEL.dotted() + " and the slot; 'cellar key list' shows the label each "
                                + "HSM slot was sealed with");
            }
            return key;
        } catch (GeneralSecurityException | ProviderException e) {
            throw new CellarException(ErrorCode.HSM_KEY_MISSING, "the key '" + keyLabel + "' on " + tokenName() + " cannot be used: "
                    + e.getMessage(), "check the key's type (AES) and attributes on the token");
        }
    }

    private KeyStore loggedIn() {
        if (token != null) {
            return token;
        }
        Provider provider = provider();
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, pin);
            token = store;
            return store;
        } catch (Exception e) {
            String reason = pkcs11Reason(e);
            if (reason.contains("CKR_PIN_INCORRECT") || reason.contains("CKR_PIN_LOCKED") || reason.contains("CKR_PIN_LEN_RANGE")) {
                throw new CellarException(ErrorCode.HSM_PIN_REFUSED, tokenName() + " refused the PIN ("
                        + reason.substring(reason.indexOf("CKR_PIN")).split("\\s")[0] + "); nothing was changed",
                        "check " + ConfigKey.REPOSITORY_PKCS11_PIN_FILE.dotted() + " / " + ConfigKey.REPOSITORY_PKCS11_PIN_ENV.dotted()
                                + "; a locked PIN is reset with the token's SO PIN");
            }
            throw new CellarException(ErrorCode.HSM_KEY_MISSING, "cannot log in to " + tokenName() + " of " + library + ": " + reason,
                    "check the slot (softhsm2-util --show-slots, pkcs11-tool -L) and that the token is initialised");
        }
    }

    private Provider provider() {
        String name = library + "|" + (slot != null ? "slot=" + slot : "slotListIndex=" + slotIndex);
        try {
            return PROVIDERS.computeIfAbsent(name, n -> {
                Provider base = Security.getProvider("SunPKCS11");
                if (base == null) {
                    throw new CellarException(ErrorCode.HSM_KEY_MISSING, "this Java runtime has no SunPKCS11 provider",
                            "run Cellar on a JDK that includes the jdk.crypto.cryptoki module");
                }
                // "--" makes configure() read the rest as the configuration itself, not a file name
                String configuration = "--name=cellar\nlibrary=" + library + "\n"
                        + (slot != null ? "slot=" + slot : "slotListIndex=" + slotIndex) + "\n"
                        + "attributes(generate,CKO_SECRET_KEY,CKK_AES) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
                return base.configure(configuration);
            });
        } catch (ProviderException e) {
            throw new CellarException(ErrorCode.HSM_KEY_MISSING, "cannot open " + tokenName() + " of PKCS#11 module " + library + ": "
                    + pkcs11Reason(e), "check " + ConfigKey.REPOSITORY_PKCS11_SLOT.dotted() + " / " + ConfigKey.REPOSITORY_PKCS11_SLOT_INDEX.dotted()
                    + " against softhsm2-util --show-slots or pkcs11-tool -L");
        }
    }

    /** The innermost message, where SunPKCS11 names the PKCS#11 return code (CKR_...). */
    private static String pkcs11Reason(Throwable e) {
        StringBuilder reasons = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                reasons.append(t.getMessage()).append(' ');
            }
        }
        return reasons.toString().strip();
    }
}
