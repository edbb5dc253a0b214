package dev.cellar.web.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingOidcLoginsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T03:00:00Z"));
    private final PendingOidcLogins logins = new PendingOidcLogins(clock, Duration.ofMinutes(10));

    private PendingOidcLogin started(String state) {
        return new PendingOidcLogin(state, "nonce-" + state, "verifier-" + state, clock.instant());
    }

    @Test
    void aLoginCanBeFinishedOnceOnly() {
        logins.put(started("s1"));

        assertThat(logins.take("s1")).map(PendingOidcLogin::nonce).contains("nonce-s1");
        assertThat(logins.take("s1")).isEmpty();
    }

    @Test
    void aLoginOlderThanItsLifetimeIsForgotten() {
        logins.put(started("old"));
        clock.advance(Duration.ofMinutes(9));
        logins.put(started("recent"));
        clock.advance(Duration.ofMinutes(2));

        assertThat(logins.take("old")).isEmpty();
        assertThat(logins.take("recent")).isPresent();
    }

    @Test
    void anUnknownOrMissingStateFindsNothing() {
        logins.put(started("s1"));

        assertThat(logins.take("s2")).isEmpty();
        assertThat(logins.take(null)).isEmpty();
        assertThat(logins.take("s1")).isPresent();
    }
}
