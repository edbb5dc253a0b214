package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.nio.file.Path;

/**
 * Where the backup repository lives and how its data key is unlocked: with a passphrase, a key
 * file, or both.
 *
 * @param path       the repository folder; null when not configured (see
 *                   {@link CellarConfig#requireRepository()})
 * @param passphrase where the passphrase comes from; null only when {@code keyFile} is given
 * @param keyFile    a file holding key material instead of (or besides) a passphrase; may be null
 */
public record RepositoryConfig(Path path, SecretSource passphrase, Path keyFile) {

    public RepositoryConfig {
        if (passphrase == null && keyFile == null) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "the repository needs a passphrase or " + ConfigKey.REPOSITORY_KEY_FILE.dotted(),
                    "set " + ConfigKey.REPOSITORY_PASSPHRASE_FILE.dotted() + ", " + CellarVariable.PASSPHRASE.variable()
                            + " or " + ConfigKey.REPOSITORY_KEY_FILE.dotted());
        }
        if (passphrase != null && passphrase.secret() != SecretName.REPOSITORY_PASSPHRASE) {
            throw new IllegalArgumentException("passphrase source is for " + passphrase.secret().key());
        }
    }
}
