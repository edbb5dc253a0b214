package dev.cellar.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String content) throws IOException {
        return Files.writeString(dir.resolve("cellar.yaml"), content);
    }

    @Test
    void exampleConfigLoadsAndModelsRestaurantOrdering() {
        CellarConfig config = ConfigLoader.load(Path.of("cellar.example.yaml"), Map.of(), Map.of());

        assertThat(config.requireRepository().path()).isEqualTo(Path.of("/var/lib/cellar/repo"));
        assertThat(config.repository().passphrase()).isEqualTo(
                new SecretSource.FromFile(SecretName.REPOSITORY_PASSPHRASE, Path.of("/etc/cellar/passphrase")));
        assertThat(config.repository().keyFile()).isNull();
        assertThat(config.database()).isEqualTo(
                new DatabaseConfig("localhost", 5432, "postgres", "restaurant_ordering", null));
        assertThat(config.postgres().binDir()).as("bin-dir is left to autodetection in the example").isNull();
        assertThat(config.backup()).isEqualTo(new BackupConfig(6, 4, Path.of("/var/tmp/cellar"), 512));
        assertThat(config.retention()).isEqualTo(new RetentionConfig(30, 7));
    }

    @Test
    void withoutAnySourceEverySettingTakesItsDefault() {
        CellarConfig config = ConfigLoader.load(null, Map.of(), Map.of());

        assertThat(config.repository().path()).isNull();
        assertThat(config.repository().passphrase()).isEqualTo(new SecretSource.Prompt(SecretName.REPOSITORY_PASSPHRASE));
        assertThat(config.database()).isEqualTo(
                new DatabaseConfig("localhost", 5432, System.getProperty("user.name"), "postgres", null, false));
        assertThat(config.postgres().binDir()).isNull();
        assertThat(config.backup()).isEqualTo(new BackupConfig(6, Runtime.getRuntime().availableProcessors(),
                Path.of(System.getProperty("java.io.tmpdir")), 512));
        assertThat(config.retention()).isEqualTo(new RetentionConfig(30, 7));
    }

    @Test
    void environmentOverridesFileAndCommandLineOverridesEnvironment() throws IOException {
        Path file = yaml("""
                repository:
                  path: /from/file
                database:
                  port: 5433
                  name: from_file
                backup:
                  compression-level: 5
                """);
        Map<String, String> env = Map.of(
                "CELLAR_REPOSITORY_PATH", "/from/env",
                "CELLAR_DATABASE_PORT", "5434",
                "CELLAR_BACKUP_COMPRESSION_LEVEL", "7");
        Map<String, String> overrides = Map.of("repository.path", "/from/flag");

        CellarConfig config = ConfigLoader.load(file, env, overrides);

        assertThat(config.repository().path()).isEqualTo(Path.of("/from/flag"));
        assertThat(config.database().port()).isEqualTo(5434);
        assertThat(config.database().name()).isEqualTo("from_file");
        assertThat(config.backup().compressionLevel()).isEqualTo(7);
    }

    @Test
    void libpqVariablesAreDefaultsBelowTheFile() throws IOException {
        Map<String, String> env = Map.of("PGHOST", "db.internal", "PGPORT", "6432",
                "PGUSER", "backup", "PGDATABASE", "restaurant_ordering");

        DatabaseConfig withoutFile = ConfigLoader.load(null, env, Map.of()).database();
        assertThat(withoutFile).isEqualTo(new DatabaseConfig("db.internal", 6432, "backup", "restaurant_ordering", null));

        Path file = yaml("""
                database:
                  host: primary.internal
                  user: cellar
                """);
        DatabaseConfig withFile = ConfigLoader.load(file, env, Map.of()).database();
        assertThat(withFile).isEqualTo(new DatabaseConfig("primary.internal", 6432, "cellar", "restaurant_ordering", null));
    }

    @Test
    void cellarConfigVariableNamesTheFile() throws IOException {
        Path file = yaml("retention:\n  full-days: 45\n");

        CellarConfig config = ConfigLoader.load(null, Map.of("CELLAR_CONFIG", file.toString()), Map.of());

        assertThat(config.retention().fullDays()).isEqualTo(45);
    }

    @Test
    void emptyFileAndEmptySectionsMeanDefaults() throws IOException {
        assertThat(ConfigLoader.load(yaml(""), Map.of(), Map.of()).retention()).isEqualTo(new RetentionConfig(30, 7));
        assertThat(ConfigLoader.load(yaml("database:\nbackup:\n  jobs:\n"), Map.of(), Map.of()).database().port())
                .isEqualTo(5432);
    }

    @Test
    void cellarPassphraseIsUsedWhenNoPassphraseSourceIsConfigured() {
        CellarConfig config = ConfigLoader.load(null, Map.of("CELLAR_PASSPHRASE", "s3cret"), Map.of());

        assertThat(config.repository().passphrase())
                .isEqualTo(new SecretSource.FromEnv(SecretName.REPOSITORY_PASSPHRASE, "CELLAR_PASSPHRASE"));
    }

    @Test
    void configuredPassphraseSourceWinsOverCellarPassphrase() throws IOException {
        Path file = yaml("repository:\n  passphrase-env: VAULT_PASSPHRASE\n");

        CellarConfig config = ConfigLoader.load(file, Map.of("CELLAR_PASSPHRASE", "s3cret"), Map.of());

        assertThat(config.repository().passphrase())
                .isEqualTo(new SecretSource.FromEnv(SecretName.REPOSITORY_PASSPHRASE, "VAULT_PASSPHRASE"));
    }

    @Test
    void higherSourceSettingOnePassphraseFormReplacesTheOther() throws IOException {
        Path file = yaml("repository:\n  passphrase-file: /etc/cellar/passphrase\n");

        CellarConfig config = ConfigLoader.load(file, Map.of(), Map.of("repository.passphrase-env", "OTHER"));

        assertThat(config.repository().passphrase())
                .isEqualTo(new SecretSource.FromEnv(SecretName.REPOSITORY_PASSPHRASE, "OTHER"));
    }

    @Test
    void keyFileAloneNeedsNoPassphrase() {
        CellarConfig config = ConfigLoader.load(null, Map.of(), Map.of("repository.key-file", "/etc/cellar/repo.key"));

        assertThat(config.repository().keyFile()).isEqualTo(Path.of("/etc/cellar/repo.key"));
        assertThat(config.repository().passphrase()).isNull();
    }

    @Test
    void databasePasswordPrefersCellarVariableOverPgpassword() {
        Map<String, String> both = Map.of("PGPASSWORD", "a", "CELLAR_DATABASE_PASSWORD", "b");

        assertThat(ConfigLoader.load(null, both, Map.of()).database().password())
                .isEqualTo(new SecretSource.FromEnv(SecretName.DATABASE_PASSWORD, "CELLAR_DATABASE_PASSWORD"));
        assertThat(ConfigLoader.load(null, Map.of("PGPASSWORD", "a"), Map.of()).database().password())
                .isEqualTo(new SecretSource.FromEnv(SecretName.DATABASE_PASSWORD, "PGPASSWORD"));
    }

    @Test
    void emptyEnvironmentVariableCountsAsUnset() throws IOException {
        Path file = yaml("database:\n  port: 5433\n");

        assertThat(ConfigLoader.load(file, Map.of("CELLAR_DATABASE_PORT", ""), Map.of()).database().port())
                .isEqualTo(5433);
    }

    @Test
    void toStringShowsWhereSecretsComeFromButNeverTheirValues() throws IOException {
        String passphrase = "correct-horse-battery-staple";
        Path secretFile = Files.writeString(dir.resolve("db-password"), "hunter2-db-password\n");
        Map<String, String> env = Map.of("CELLAR_PASSPHRASE", passphrase);

        CellarConfig config = ConfigLoader.load(null, env,
                Map.of("database.password-file", secretFile.toString()));

        assertThat(config.toString())
                .contains("CELLAR_PASSPHRASE", secretFile.toString())
                .doesNotContain(passphrase, "hunter2-db-password");
    }
}
