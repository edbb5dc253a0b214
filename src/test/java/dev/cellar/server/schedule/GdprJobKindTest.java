package dev.cellar.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily gdpr job: planned only for a database with a data policy, running 'gdpr apply-due' on it. */
class GdprJobKindTest {
    @TempDir
    Path dir;

    private CellarConfig load(String content) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), content), Map.of(), Map.of());
    }

    @Test
    void aDatabaseWithADataPolicyGetsADailyApplyDue() throws IOException {
        Path policy = Files.writeString(dir.resolve("shop.yaml"), "database: shop\n");
        CellarConfig config = load("database:\n  name: shop\n  policy: " + policy + "\n");

        JobPlan plan = JobPlan.of(config);

        ScheduledJob gdpr = plan.jobs().stream().filter(j -> j.kind().equals("gdpr")).findFirst().orElseThrow();
        assertThat(gdpr.key()).isEqualTo("gdpr:shop");
        assertThat(gdpr.schedule().expression()).isEqualTo(StandardJobKinds.GDPR_SCHEDULE);
        assertThat(StandardJobKinds.GDPR.commands(gdpr, config)).singleElement()
                .satisfies(c -> assertThat(c.arguments()).containsExactly("gdpr", "apply-due", "-d", "shop"));
    }

    @Test
    void aDatabaseWithoutOneGetsNone() throws IOException {
        assertThat(JobPlan.of(load("database:\n  name: shop\n")).jobs()).noneMatch(j -> j.kind().equals("gdpr"));
    }
}
