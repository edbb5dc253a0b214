package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebAuthConfigTest {

    @Test
    void withNothingSetTheDefaultsOfTheDocsApply() {
        WebAuthConfig web = ConfigLoader.load(null, Map.of(), Map.of()).webAuth();

        assertThat(web).isEqualTo(WebAuthConfig.DEFAULTS);
        assertThat(web.secondFactorFresh()).isEqualTo(Duration.ofMinutes(5));
        assertThat(web.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(web.sessionMax()).isEqualTo(Duration.ofHours(12));
        assertThat(web.lockoutAfterFailures()).isEqualTo(5);
        assertThat(web.lockout()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void theVariablesAndFlagsSetEachKey() {
        WebAuthConfig web = ConfigLoader.load(null, Map.of("CELLAR_WEB_SECOND_FACTOR_FRESH_MINUTES", "2",
                "CELLAR_WEB_SESSION_IDLE_MINUTES", "10", "CELLAR_WEB_SESSION_MAX_HOURS", "8",
                "CELLAR_WEB_LOGIN_ATTEMPTS_PER_MINUTE", "20", "CELLAR_WEB_LOCKOUT_AFTER_FAILURES", "3"),
                Map.of("web.lockout-minutes", "60")).webAuth();

        assertThat(web).isEqualTo(new WebAuthConfig(Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(8), 20, 3,
                Duration.ofMinutes(60)));
    }

    @Test
    void aFreshnessOfHoursIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("web.second-factor-fresh-minutes", "600")))
                .isInstanceOf(CellarException.class).hasMessageContaining("web.second-factor-fresh-minutes").hasMessageContaining("1..60");
    }
}
