package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The names of environment variables: the table's, the deprecated ones, and those a setting names. */
class EnvironmentNamesTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private CellarConfig load(Path file, Map<String, String> env) {
        return ConfigLoader.load(file, env, Map.of(), warnings::add);
    }

    @Test
    void deprecatedBinDirVariableStillSetsTheBinDirWithAWarning() {
        CellarConfig config = load(null, Map.of("CELLAR_PG_BIN_DIR", "/opt/pg16/bin"));

        assertThat(config.postgres().binDir()).isEqualTo(Path.of("/opt/pg16/bin"));
        assertThat(warnings).singleElement().asString()
                .contains("CELLAR_PG_BIN_DIR").contains(ConfigKey.POSTGRES_BIN_DIR.env());
    }

    @Test
    void tableNameWinsAndAgreeingDeprecatedNameOnlyWarns() {
        CellarConfig config = load(null, Map.of("CELLAR_PG_BIN_DIR", "/opt/pg16/bin", "CELLAR_POSTGRES_BIN_DIR", "/opt/pg16/bin"));

        assertThat(config.postgres().binDir()).isEqualTo(Path.of("/opt/pg16/bin"));
        assertThat(warnings).hasSize(1);
    }

    @Test
    void deprecatedNameDisagreeingWithTheTableNameIsAnError() {
        assertThatThrownBy(() -> load(null, Map.of("CELLAR_PG_BIN_DIR", "/opt/pg15/bin", "CELLAR_POSTGRES_BIN_DIR", "/opt/pg16/bin")))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("/opt/pg15/bin").hasMessageContaining("/opt/pg16/bin")
                .satisfies(e -> assertThat(((CellarException) e).hint()).contains("unset CELLAR_PG_BIN_DIR"));
    }

    @Test
    void withoutDeprecatedNamesNothingIsWarned() {
        load(null, Map.of("CELLAR_POSTGRES_BIN_DIR", "/opt/pg16/bin", "CELLAR_DEBUG", "1", "CELLAR_NO_PROGRESS", "1"));

        assertThat(warnings).isEmpty();
    }

    @Test
    void variableNamedByAnEnvSettingMayLookLikeASetting() throws IOException {
        Path file = Files.writeString(dir.resolve("cellar.yaml"), """
                repository:
                  path: s3://bucket/prefix
                s3:
                  access-key-id-env: CELLAR_S3_ACCESS_KEY
                  secret-access-key-env: CELLAR_S3_SECRET_KEY
                """);

        CellarConfig config = load(file, Map.of("CELLAR_S3_ACCESS_KEY", "AKIA", "CELLAR_S3_SECRET_KEY", "secret",
                "CELLAR_PASSPHRASE", "x"));

        assertThat(config.requireRepositories().get(0).s3().accessKeyIdEnv()).isEqualTo("CELLAR_S3_ACCESS_KEY");
    }

    @Test
    void variableNamedThroughTheEnvironmentMayLookLikeASettingToo() {
        CellarConfig config = load(null, Map.of("CELLAR_DATABASE_PASSWORD_ENV", "CELLAR_DATABASE_SECRET",
                "CELLAR_DATABASE_SECRET", "pw"));

        assertThat(config.database().password()).isEqualTo(new SecretSource.FromEnv(SecretName.DATABASE_PASSWORD, "CELLAR_DATABASE_SECRET"));
    }

    @Test
    void aLookalikeThatNoSettingNamesIsStillRejected() {
        assertThatThrownBy(() -> load(null, Map.of("CELLAR_S3_ACCESS_KEY", "AKIA")))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("unknown setting in environment variable CELLAR_S3_ACCESS_KEY");
    }

    @Test
    void everyKnownVariableIsAcceptedAndNoneIsListedTwice() {
        List<String> known = EnvironmentReader.knownVariables();

        assertThat(known).doesNotHaveDuplicates().allMatch(v -> v.matches("CELLAR_[A-Z0-9_]+"));
        assertThat(known).contains("CELLAR_PG_BIN_DIR", "CELLAR_CONFIG", "CELLAR_PASSPHRASE", "CELLAR_DATABASE_PASSWORD",
                ConfigKey.BACKUP_WORK_DIR.env());
    }
}
