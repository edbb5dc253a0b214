package dev.cellar.config;

/**
 * Asks a person for a secret. Separate from {@link SecretSource} so that tests and the daemon can
 * supply secrets without a terminal.
 */
public interface SecretPrompter {
    /**
     * Returns the secret typed for {@code secret}, or throws a {@code CONFIG_INVALID}
     * {@link dev.cellar.error.CellarException} when nobody can be asked. The caller owns the
     * array and should clear it when done.
     */
    char[] readSecret(SecretName secret);
}
