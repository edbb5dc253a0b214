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

/** A databases: entry's own TLS settings reach the job's cellar command as CELLAR_DATABASE_* variables, never as arguments. */
class DatabaseTlsJobTest {
    @TempDir
    Path dir;

    @Test
    void anEntrysOwnTlsSettingsTravelInTheJobsEnvironment() throws IOException {
        CellarConfig config = ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), """
                database:
                  sslmode: require
                databases:
                  shop:
                    sslmode: verify-full
                    sslrootcert: /etc/cellar/shop-ca.crt
                    tls-min-version: "1.3"
                  books: {}
                """), Map.of(), Map.of());
        JobPlan plan = JobPlan.of(config);
        ScheduledJob shop = plan.jobs().stream().filter(j -> j.key().equals("full:shop")).findFirst().orElseThrow();
        assertThat(StandardJobKinds.BACKUP_FULL.commands(shop, config).get(0)).satisfies(c -> {
            assertThat(c.environment()).containsEntry("CELLAR_DATABASE_SSLMODE", "verify-full")
                    .containsEntry("CELLAR_DATABASE_SSLROOTCERT", "/etc/cellar/shop-ca.crt")
                    .containsEntry("CELLAR_DATABASE_TLS_MIN_VERSION", "1.3");
            assertThat(String.join(" ", c.arguments())).doesNotContain("ssl").doesNotContain("/etc/cellar");
        });
        ScheduledJob books = plan.jobs().stream().filter(j -> j.key().equals("full:books")).findFirst().orElseThrow();
        // the same settings as database.* (which the command reads anyway): nothing to pass
        assertThat(StandardJobKinds.BACKUP_FULL.commands(books, config).get(0).environment()).doesNotContainKey("CELLAR_DATABASE_SSLMODE");
    }
}
