package dev.cellar.app;

import dev.cellar.config.HostClock;
import dev.cellar.config.SecretPrompter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The per-invocation choices a {@link CellarContext} is built with, beside the configuration:
 * what the CLI takes from its flags, and the daemon from its job.
 *
 * @param readOnly            never write to the repository (no lock, no audit record)
 * @param repositoryName      the one configured copy to work on, or null for all of them
 * @param lockWait            how long to wait for a conflicting repository lock
 * @param databaseNamedByFlag whether the database was named for this invocation (stronger than
 *                            database.name from the file or environment when 'latest' is resolved)
 * @param warnings            where warnings go while the operation still succeeds
 * @param prompter            asked for a secret configured as "prompt"; {@link NeverPrompt} for the daemon
 * @param env                 the environment variables secrets and S3 credentials are read from
 * @param hostClock           this host's clock (lock decisions use the storage server's)
 */
public record ContextOptions(boolean readOnly, String repositoryName, Duration lockWait, boolean databaseNamedByFlag,
        Warnings warnings, SecretPrompter prompter, Map<String, String> env, Clock hostClock) {

    public ContextOptions {
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(warnings, "warnings");
        Objects.requireNonNull(prompter, "prompter");
        env = Map.copyOf(env);
        Objects.requireNonNull(hostClock, "hostClock");
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("lockWait must not be negative: " + lockWait);
        }
    }

    /**
     * What a job of the daemon runs with: every copy, read-write, no prompt, the process's
     * environment, warnings to {@code warnings}, and {@code lockWait} for a lock another job holds.
     */
    public static ContextOptions unattended(Warnings warnings, Duration lockWait) {
        return new ContextOptions(false, null, lockWait, false, warnings, new NeverPrompt(), System.getenv(), HostClock.system());
    }
}
