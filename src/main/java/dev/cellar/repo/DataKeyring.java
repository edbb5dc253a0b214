package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The repository's data keys: key 0 from the key slots, and one object {@code keyring/<id>} per
 * {@code cellar key rotate} after it. The newest key seals everything written from then on; every
 * key stays, so objects sealed before (and WORM-locked ones that cannot be re-encrypted) still open.
 *
 * <p>Keyring objects are sealed with a key derived from all 72 bytes the slots wrap (HKDF-SHA256,
 * info {@code cellar/keyring}), not from data key 0: whoever learned only a data key (an old one,
 * the reason to rotate) cannot read the keys that replaced it. Rotating changes no key slot, so a
 * slot whose secret is in a safe (a break-glass passphrase, a KMS key) keeps working.
 */
public final class DataKeyring {
    static final String PREFIX = RepositoryLayout.KEYRING;
    private static final byte[] SEALING_SALT = "cellar-keyring".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEALING_INFO = "cellar/keyring".getBytes(StandardCharsets.US_ASCII);

    /** One rotated-in data key as stored (sealed) in {@code keyring/<id>}. */
    record RingKey(int id, String keyBase64, Instant createdAt, String createdBy) {
        @Override
        public String toString() {
            return "RingKey[" + id + ", redacted]";
        }
    }

    /** What is known of one data key without its bytes: for {@code cellar key list} and reports. */
    public record DataKeyInfo(int id, Instant createdAt, String createdBy, boolean current) {
    }

    private final TreeMap<Integer, byte[]> keys;
    private final Map<Integer, DataKeyInfo> infos;
    private final List<RingKey> rotated;
    private final AeadCipher sealing;
    private final AeadCipher cipher;

    private DataKeyring(TreeMap<Integer, byte[]> keys, Map<Integer, DataKeyInfo> infos, List<RingKey> rotated, AeadCipher sealing) {
        this.keys = keys;
        this.infos = infos;
        this.rotated = rotated;
        this.sealing = sealing;
        this.cipher = new AeadCipher(keys, keys.lastKey());
    }

    /** Reads every keyring object; a damaged one is an error, since objects sealed with its key would not open. */
    static DataKeyring load(Storage storage, KeyMaterial material, Instant repositoryCreated) {
        AeadCipher sealing = sealingCipher(material);
        TreeMap<Integer, byte[]> keys = new TreeMap<>();
        Map<Integer, DataKeyInfo> infos = new HashMap<>();
        List<RingKey> rotated = new java.util.ArrayList<>();
        keys.put(AeadCipher.FIRST_KEY_ID, material.dataKey());
        infos.put(AeadCipher.FIRST_KEY_ID, new DataKeyInfo(AeadCipher.FIRST_KEY_ID, repositoryCreated, "init", false));
        for (String objectKey : storage.list(PREFIX)) {
            RingKey ringKey = storage.read(objectKey, sealed -> open(sealing, objectKey, sealed));
            rotated.add(ringKey);
            keys.put(ringKey.id(), Base64.getDecoder().decode(ringKey.keyBase64()));
            infos.put(ringKey.id(), new DataKeyInfo(ringKey.id(), ringKey.createdAt(), ringKey.createdBy(), false));
        }
        int current = keys.lastKey();
        infos.put(current, new DataKeyInfo(current, infos.get(current).createdAt(), infos.get(current).createdBy(), true));
        return new DataKeyring(keys, infos, List.copyOf(rotated), sealing);
    }

    /**
     * Adds the next data key. Create-if-absent: of two rotations at the same moment one wins and the
     * other is told to run again; never are two keys written under one id.
     */
    static DataKeyInfo rotate(Storage storage, KeyMaterial material, DataKeyring current, Instant now, Actor actor) {
        int id = current.currentKeyId() + 1;
        byte[] key = new byte[AeadCipher.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        RingKey ringKey = new RingKey(id, Base64.getEncoder().encodeToString(key), now, actor.toString());
        String objectKey = objectKey(id);
        byte[] sealed = sealingCipher(material).seal(RepositoryJson.write(ringKey), objectKey);
        if (!storage.putIfAbsent(objectKey, sealed)) {
            throw new CellarException(ErrorCode.LOCKED, "another 'cellar key rotate' added data key " + id + " at the same time",
                    "run 'cellar key list' to see the keys, then rotate again if you still need a new one");
        }
        return new DataKeyInfo(id, now, actor.toString(), true);
    }

    public AeadCipher cipher() {
        return cipher;
    }

    public int currentKeyId() {
        return keys.lastKey();
    }

    public boolean holds(int keyId) {
        return keys.containsKey(keyId);
    }

    /** Every data key, oldest first. */
    public List<DataKeyInfo> describe() {
        return keys.keySet().stream().map(infos::get).toList();
    }

    static String objectKey(int id) {
        return PREFIX + String.format("%08x", id);
    }

    private static RingKey open(AeadCipher sealing, String objectKey, byte[] sealed) {
        try {
            RingKey ringKey = RepositoryJson.read(sealing.open(sealed, objectKey), RingKey.class);
            if (!objectKey.equals(objectKey(ringKey.id()))) {
                throw new CorruptObjectException(objectKey, "holds data key " + ringKey.id() + ", not the one its name says");
            }
            return ringKey;
        } catch (AeadCipher.AuthenticationFailedException | IOException e) {
            throw new CorruptObjectException(objectKey, "is not a readable data key (" + e.getMessage()
                    + "): objects sealed with it cannot be opened until it is restored from a copy of the repository");
        }
    }

    private static AeadCipher sealingCipher(KeyMaterial material) {
        byte[] all = material.toBytes();
        try {
            return new AeadCipher(KeyWrapper.hkdfSha256(all, SEALING_SALT, SEALING_INFO));
        } finally {
            java.util.Arrays.fill(all, (byte) 0);
        }
    }

    /**
     * Writes the keyring objects {@code copy} lacks: a copy must hold every key its objects are
     * sealed with, or it could not be opened alone after a disaster. Each is sealed afresh from
     * this keyring, so nothing is read from a copy that may itself be damaged.
     */
    public int writeMissingTo(Storage copy) {
        int written = 0;
        for (RingKey ringKey : rotated) {
            String objectKey = objectKey(ringKey.id());
            if (!copy.exists(objectKey) && copy.putIfAbsent(objectKey, sealing.seal(RepositoryJson.write(ringKey), objectKey))) {
                written++;
            }
        }
        return written;
    }
}
