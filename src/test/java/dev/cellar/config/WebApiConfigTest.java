package dev.cellar.config;

import dev.cellar.error.CellarException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** four-eyes: in a databases: entry (or database.four-eyes), and web.approval-expiry-minutes. */
class WebApiConfigTest {
    @TempDir
    Path dir;

    private CellarConfig load(String content, Map<String, String> env) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), content), env, Map.of());
    }

    @Test
    void onlyTheEntriesThatSayFourEyesNeedApproval() throws IOException {
        CellarConfig config = load("""
                databases:
                  restaurant_ordering:
                    four-eyes: true
                  analytics:
                    name: analytics_prod
                """, Map.of());
        assertThat(config.webApi().fourEyesDatabases()).containsExactly("restaurant_ordering");
        assertThat(config.webApi().anyFourEyes()).isTrue();
    }

    @Test
    void noFourEyesAndAnHourToApproveByDefault() throws IOException {
        CellarConfig config = load("database:\n  name: shop\n", Map.of());
        assertThat(config.webApi().fourEyesDatabases()).isEmpty();
        assertThat(config.webApi().approvalExpiry()).isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void theSingleDatabaseOfTheDatabaseSectionCanBeFourEyesAndTheExpirySet() throws IOException {
        CellarConfig config = load("database:\n  name: shop\n  four-eyes: true\nweb:\n  approval-expiry-minutes: 15\n",
                Map.of("CELLAR_WEB_APPROVAL_EXPIRY_MINUTES", "30"));
        assertThat(config.webApi().fourEyesDatabases()).containsExactly("shop");
        assertThat(config.webApi().approvalExpiry()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void anExpiryOutOfRangeNamesTheKey() {
        assertThatThrownBy(() -> load("web:\n  approval-expiry-minutes: 0\n", Map.of()))
                .isInstanceOf(CellarException.class).hasMessageContaining("web.approval-expiry-minutes");
    }
}
