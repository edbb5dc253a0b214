package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.Console;

/** Reads a secret from the terminal without echoing it; fails clearly under cron or systemd. */
public final class ConsolePrompter implements SecretPrompter {

    @Override
    public char[] readSecret(SecretName secret) {
        Console console = System.console();
        char[] typed = console == null ? null : console.readPassword("%s: ", capitalised(secret.label()));
        if (typed == null) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "no terminal to prompt for the " + secret.label() + "; " + secret.alternatives(),
                    "cellar runs without a terminal under cron and systemd; give it a secret source");
        }
        return typed;
    }

    private static String capitalised(String label) {
        return Character.toUpperCase(label.charAt(0)) + label.substring(1);
    }
}
