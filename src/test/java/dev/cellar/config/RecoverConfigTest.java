package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.ScheduledJob;
import dev.cellar.server.schedule.StandardJobKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** recover.* and verify.staging.*: defaults, a YAML list of hooks, the staging server, and the weekly VERIFY job that follows it. */
class RecoverConfigTest {
    @TempDir
    Path dir;

    private CellarConfig load(String content) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), content), Map.of(), Map.of());
    }

    @Test
    void noHooksNoStagingAndFiveMinutesByDefault() throws IOException {
        RecoverConfig recover = load("database:\n  name: restaurant_ordering\n").recover();
        assertThat(recover.preHooks()).isEmpty();
        assertThat(recover.postHooks()).isEmpty();
        assertThat(recover.hookTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(recover.staging()).isNull();
    }

    @Test
    void hooksAreReadInOrderFromAYamlList() throws IOException {
        RecoverConfig recover = load("recover:\n  pre-hooks:\n    - systemctl stop restaurant-api nginx\n    - /usr/local/bin/drain 'queue a'\n"
                + "  post-hooks: [systemctl start restaurant-api nginx]\n  hook-timeout-seconds: 90\n").recover();
        assertThat(recover.preHooks()).containsExactly("systemctl stop restaurant-api nginx", "/usr/local/bin/drain 'queue a'");
        assertThat(recover.postHooks()).containsExactly("systemctl start restaurant-api nginx");
        assertThat(recover.hookTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theStagingServerTakesTheDatabaseUserAndDefaultPortUnlessSet() throws IOException {
        RecoverConfig.Staging staging = load("database:\n  user: cellar\n  name: restaurant_ordering\nverify:\n  staging:\n    host: staging.lan\n")
                .recover().staging();
        assertThat(staging).isEqualTo(new RecoverConfig.Staging("staging.lan", 5432, "cellar", null, "postgres"));
        assertThat(staging.describe()).isEqualTo("staging server staging.lan:5432");
    }

    @Test
    void stagingSettingsWithoutAHostAreRefused() {
        assertThatThrownBy(() -> load("verify:\n  staging:\n    port: 5433\n"))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("verify.staging.port is set but verify.staging.host is not");
    }

    @Test
    void theWeeklyVerificationRestoresOnStagingWhenOneIsConfigured() throws IOException {
        CellarConfig withStaging = load("database:\n  name: restaurant_ordering\nverify:\n  staging:\n    host: staging.lan\n");
        CellarConfig without = load("database:\n  name: restaurant_ordering\n");
        assertThat(verifyCommands(withStaging)).endsWith("verify --restore-test latest --on-staging -d restaurant_ordering");
        assertThat(verifyCommands(without)).endsWith("verify --restore-test latest -d restaurant_ordering").doesNotContain("--on-staging");
    }

    private static String verifyCommands(CellarConfig config) {
        ScheduledJob job = JobPlan.of(config).jobs().stream().filter(j -> j.kind().equals("verify")).findFirst().orElseThrow();
        return String.join(" ", StandardJobKinds.VERIFY.commands(job, config).getLast().arguments());
    }
}
