package dev.cellar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.expire.FortyDaysOfBackups;
import dev.cellar.repo.RepositoryJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cellar expire} in-process, on a repository whose 40 days of history end now. */
class ExpireCommandTest {
    @TempDir
    Path folder;

    private FortyDaysOfBackups history;
    private Path config;

    @BeforeEach
    void repositoryAndConfig() throws IOException {
        Instant day0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(40)).minus(Duration.ofMinutes(5));
        history = new FortyDaysOfBackups(folder.resolve("repo"), day0);
        Path passphrase = folder.resolve("passphrase");
        Files.writeString(passphrase, "test passphrase\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        config = folder.resolve("cellar.yaml");
        Files.writeString(config, "repository:\n  path: " + folder.resolve("repo") + "\n  passphrase-file: " + passphrase + "\n");
    }

    @Test
    void dryRunPrintsTheTableAndDeletesNothingThenTheRealRunDeletesWhatItPrinted() {
        Run dry = cellar("expire", "--dry-run", "--config", config.toString());

        assertThat(dry.exitCode).isZero();
        assertThat(dry.out).contains("ACTION", "DELETE  " + history.p0, "KEEP    " + history.p32, "physical/incr",
                "timeline 1: delete " + FortyDaysOfBackups.segment(1) + " .. " + FortyDaysOfBackups.segment(39),
                "timeline 1: keep   " + FortyDaysOfBackups.segment(40), "history files kept: 00000002.history",
                "dry run: would delete 3 backups and 40 WAL files", "nothing was deleted");
        assertThat(history.repository.manifests().ids()).hasSize(6);

        Run real = cellar("expire", "--config", config.toString());

        assertThat(real.exitCode).isZero();
        assertThat(real.out).contains("deleted 3 backups, 40 WAL files");
        assertThat(history.repository.manifests().ids()).containsExactlyInAnyOrder(history.l20, history.p32, history.p38);
    }

    @Test
    void jsonCarriesThePlanAndOverridesApply() throws IOException {
        Run run = cellar("expire", "--dry-run", "--json", "--full-days", "60", "--config", config.toString());

        assertThat(run.exitCode).isZero();
        JsonNode result = RepositoryJson.mapper().readTree(run.out);
        assertThat(result.get("dryRun").asBoolean()).isTrue();
        assertThat(result.at("/plan/fullDays").asInt()).isEqualTo(60);
        assertThat(result.at("/plan/delete").size()).isZero();
        assertThat(result.at("/plan/keep").size()).isEqualTo(6);
        assertThat(result.at("/plan/walKeepFrom").asText()).isEqualTo(FortyDaysOfBackups.segment(2));
    }

    @Test
    void aRetentionOutOfRangeIsAConfigurationErrorAndNothingIsDeleted() {
        Run run = cellar("expire", "--wal-days", "0", "--config", config.toString());

        assertThat(run.exitCode).isEqualTo(3);
        assertThat(run.err).contains("retention.wal-days");
        assertThat(history.repository.manifests().ids()).hasSize(6);
    }

    @Test
    void helpExplainsTheRulesAndTheOptions() {
        Run run = cellar("expire", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("--dry-run", "--full-days", "--wal-days", "--lock-wait", "timeline history files always stay",
                "docs/expire.md");
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cellar(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = CellarCommand.newCommandLine().execute(new ArrayList<>(List.of(args)).toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
