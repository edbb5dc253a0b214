package dev.cellar.repo;

import dev.cellar.config.CellarVariable;
import dev.cellar.config.ConfigKey;
import dev.cellar.pipeline.AeadCipher;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

/**
 * The operator's secret that unlocks a repository: a passphrase or the bytes of a key file. It
 * opens the slots sealed by a KDF ({@link SlotKdf}), of either kind: a key file that a person
 * typed was always wrapped like a passphrase. Callers should {@link #wipe()} it once the
 * repository is open.
 */
public final class RepositorySecret implements UnlockMethod {
    public static final String PASSPHRASE = "passphrase";
    public static final String KEY_FILE = "key-file";

    private final byte[] bytes;
    private final String kind;
    private final KeyWrapper.Cost cost;

    private RepositorySecret(byte[] bytes, String kind, KeyWrapper.Cost cost) {
        this.bytes = bytes;
        this.kind = kind;
        this.cost = cost;
    }

    public static RepositorySecret passphrase(char[] passphrase) {
        byte[] utf8 = new String(passphrase).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new RepositorySecret(utf8, PASSPHRASE, KeyWrapper.Cost.DEFAULT);
    }

    public static RepositorySecret keyFile(byte[] content) {
        return new RepositorySecret(content.clone(), KEY_FILE, KeyWrapper.Cost.DEFAULT);
    }

    /** Seam for tests: the same secret sealing new slots at a cheap Argon2id cost. */
    RepositorySecret withCost(KeyWrapper.Cost cheaper) {
        return new RepositorySecret(bytes.clone(), kind, cheaper);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public boolean mayOpen(KeySlot slot) {
        return SlotKdf.ofRecorded(slot.kdf()) != null;
    }

    @Override
    public KeySlot seal(byte[] material, String repositoryId, String slotId, Instant now) {
        return KeyWrapper.wrap(KeyMaterial.fromBytes(material), bytes, kind, new SecureRandom(), now, cost,
                SlotKdf.forNewSlot(kind, bytes), slotId);
    }

    @Override
    public byte[] open(KeySlot slot, String repositoryId) {
        try {
            return KeyWrapper.unwrap(slot, bytes).toBytes();
        } catch (AeadCipher.AuthenticationFailedException wrongSecret) {
            throw new UnlockMethod.NotThisSlot(slot.id());
        }
    }

    @Override
    public String describe() {
        return "the " + kind + " given";
    }

    @Override
    public String settingsToCheck() {
        return CellarVariable.PASSPHRASE.variable() + " / " + ConfigKey.REPOSITORY_PASSPHRASE_FILE.dotted() + " / "
                + ConfigKey.REPOSITORY_KEY_FILE.dotted();
    }

    @Override
    public void wipe() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "RepositorySecret[" + kind + ", redacted]";
    }
}
