package dev.cellar.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code cellar recover} runs around a restore (docs/recover.md), and the staging server the
 * weekly test restore may use instead of the production one (docs/verify.md).
 *
 * @param preHooks    shell commands run in order before the database is touched, e.g. {@code systemctl stop restaurant-api nginx}
 * @param postHooks   shell commands run in order after the restore, also after a failed one
 * @param hookTimeout how long one hook may run before it is killed and counts as failed
 * @param staging     the staging server for test restores, or null when none is configured
 */
public record RecoverConfig(List<String> preHooks, List<String> postHooks, Duration hookTimeout, Staging staging) {
    public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofMinutes(5);

    public RecoverConfig {
        preHooks = List.copyOf(preHooks);
        postHooks = List.copyOf(postHooks);
        Objects.requireNonNull(hookTimeout, "hookTimeout");
    }

    public static RecoverConfig none() {
        return new RecoverConfig(List.of(), List.of(), DEFAULT_HOOK_TIMEOUT, null);
    }

    /**
     * A staging PostgreSQL server for test restores.
     *
     * @param passwordFile file holding the password (first line), or null to leave it to libpq's means (~/.pgpass)
     * @param database     the maintenance database to connect to for CREATE/DROP DATABASE
     */
    public record Staging(String host, int port, String user, Path passwordFile, String database) {
        public Staging {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(database, "database");
        }

        public String describe() {
            return "staging server " + host + ":" + port;
        }
    }
}
