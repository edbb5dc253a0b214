package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Where a secret comes from: an environment variable, a file or a prompt. It holds the location
 * only, so a configuration can be printed, logged and compared without exposing a passphrase;
 * the secret is read by {@link #resolve} at the moment it is needed.
 */
public sealed interface SecretSource {

    /** Which secret this source provides. */
    SecretName secret();

    /**
     * Reads the secret from the environment of this process, a file or the prompter. The caller
     * owns the returned array and should clear it when done.
     *
     * @throws CellarException {@code CONFIG_INVALID} when the source is unset, unreadable, too
     *         open or empty
     */
    default char[] resolve(SecretPrompter prompter) {
        return resolve(prompter, System.getenv());
    }

    /** As {@link #resolve(SecretPrompter)}, reading variables from {@code env}. */
    char[] resolve(SecretPrompter prompter, Map<String, String> env);

    /** The secret is the value of an environment variable. */
    record FromEnv(SecretName secret, String variable) implements SecretSource {
        public FromEnv {
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(variable, "variable");
        }

        @Override
        public char[] resolve(SecretPrompter prompter, Map<String, String> env) {
            String value = env.get(variable);
            if (value == null) {
                throw new CellarException(ErrorCode.CONFIG_INVALID,
                        secret.key() + " comes from environment variable " + variable + ", which is not set",
                        "export " + variable + " in the environment that runs cellar, or " + secret.alternatives());
            }
            return nonEmpty(secret, value.toCharArray(), "environment variable " + variable);
        }
    }

    /** The secret is the content of a file readable by its owner only, less one trailing newline. */
    record FromFile(SecretName secret, Path file) implements SecretSource {
        public FromFile {
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(file, "file");
        }

        @Override
        public char[] resolve(SecretPrompter prompter, Map<String, String> env) {
            return nonEmpty(secret, SecretFiles.read(secret, file), "file " + file);
        }
    }

    /** The secret is typed by the operator when needed. */
    record Prompt(SecretName secret) implements SecretSource {
        public Prompt {
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public char[] resolve(SecretPrompter prompter, Map<String, String> env) {
            return nonEmpty(secret, prompter.readSecret(secret), "the prompt");
        }
    }

    private static char[] nonEmpty(SecretName secret, char[] value, String from) {
        if (value.length == 0) {
            Arrays.fill(value, '\0');
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    secret.key() + " from " + from + " is empty",
                    "an empty " + secret.label() + " protects nothing; provide the real one");
        }
        return value;
    }
}
