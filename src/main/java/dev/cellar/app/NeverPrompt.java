package dev.cellar.app;

import dev.cellar.config.SecretName;
import dev.cellar.config.SecretPrompter;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/**
 * The prompter of a process nobody sits in front of (the daemon): a secret configured as
 * "prompt" fails at once with what to configure instead, rather than waiting for a terminal.
 */
public final class NeverPrompt implements SecretPrompter {

    @Override
    public char[] readSecret(SecretName secret) {
        throw new CellarException(ErrorCode.CONFIG_INVALID,
                "the " + secret.label() + " is configured to be typed at a prompt, and this process never prompts; " + secret.alternatives(),
                "a service runs without a terminal; give it a secret source");
    }
}
