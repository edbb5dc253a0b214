package dev.cellar.secrets;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets tests hand to Cellar (passphrases, passwords, access keys, PINs), so that
 * {@link SecretsWatch} can look for them where no secret may ever appear: a process's command
 * line, a command's output. Only distinctive strings are kept (10 characters or more), so a
 * finding is never a coincidence.
 */
public final class KnownSecrets {
    private static final int SHORTEST = 10;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final Set<String> CANARIES = ConcurrentHashMap.newKeySet();

    private KnownSecrets() {
    }

    /** Remembers {@code secret} for the rest of the run and returns it, for a constant's initialiser. */
    public static String register(String secret) {
        if (secret.length() >= SHORTEST) {
            SECRETS.add(secret);
        }
        return secret;
    }

    /**
     * A secret a test puts on a command line on purpose, to prove the watch sees it: its findings
     * are kept for the test to check but do not fail the run.
     */
    public static String registerCanary(String secret) {
        CANARIES.add(register(secret));
        return secret;
    }

    static boolean isCanary(String secret) {
        return CANARIES.contains(secret);
    }

    /** The first known secret {@code text} contains. */
    public static Optional<String> foundIn(String text) {
        for (String secret : SECRETS) {
            if (text.contains(secret)) {
                return Optional.of(secret);
            }
        }
        return Optional.empty();
    }

    /** The secret shown safely in a finding: its first three characters and its length. */
    public static String masked(String secret) {
        return secret.substring(0, 3) + "… (" + secret.length() + " characters)";
    }

    public static int count() {
        return SECRETS.size();
    }
}
