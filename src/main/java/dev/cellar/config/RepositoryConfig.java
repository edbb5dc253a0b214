package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.nio.file.Path;

/**
 * Where the backup repository lives and how its data key is unlocked: with a passphrase, a key
 * file, a key on an HSM or a KMS key. When several are configured, {@link #unlockKind()} says which
 * one a command uses (docs/keys.md): KMS, then the HSM, then the key file, then the passphrase.
 *
 * @param path       the repository folder; null when not configured (see
 *                   {@link CellarConfig#requireRepository()})
 * @param passphrase where the passphrase comes from; null when another method is configured
 * @param keyFile    a file holding key material instead of (or besides) a passphrase; may be null
 * @param pkcs11     the HSM settings; it unlocks with the HSM when they name a key label; may be null
 * @param kms        the KMS settings; it unlocks with KMS when they name a key id; may be null
 */
public record RepositoryConfig(Path path, SecretSource passphrase, Path keyFile, Pkcs11Config pkcs11, KmsConfig kms) {

    /** The kinds of unlocking, in the order of precedence when several are configured. */
    public enum UnlockKind { KMS, PKCS11, KEY_FILE, PASSPHRASE }

    public RepositoryConfig {
        if (passphrase == null && keyFile == null && (pkcs11 == null || pkcs11.keyLabel() == null) && (kms == null || kms.keyId() == null)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "the repository needs a passphrase, " + ConfigKey.REPOSITORY_KEY_FILE.dotted() + ", "
                            + ConfigKey.REPOSITORY_PKCS11_KEY_LABEL.dotted() + " or " + ConfigKey.REPOSITORY_KMS_KEY_ID.dotted(),
                    "set " + ConfigKey.REPOSITORY_PASSPHRASE_FILE.dotted() + ", " + CellarVariable.PASSPHRASE.variable()
                            + " or " + ConfigKey.REPOSITORY_KEY_FILE.dotted() + " (docs/keys.md)");
        }
        if (passphrase != null && passphrase.secret() != SecretName.REPOSITORY_PASSPHRASE) {
            throw new IllegalArgumentException("passphrase source is for " + passphrase.secret().key());
        }
    }

    /** A repository unlocked by a passphrase or a key file. */
    public RepositoryConfig(Path path, SecretSource passphrase, Path keyFile) {
        this(path, passphrase, keyFile, null, null);
    }

    /** How a command unlocks the repository: the first configured of KMS, HSM, key file, passphrase. */
    public UnlockKind unlockKind() {
        if (kms != null && kms.keyId() != null) {
            return UnlockKind.KMS;
        }
        if (pkcs11 != null && pkcs11.keyLabel() != null) {
            return UnlockKind.PKCS11;
        }
        return keyFile != null ? UnlockKind.KEY_FILE : UnlockKind.PASSPHRASE;
    }
}
