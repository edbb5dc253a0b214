package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each way a configuration can be wrong, and the message the operator gets for it. */
class ConfigValidationTest {
    @TempDir
    Path dir;

    private Path yaml(String content) throws IOException {
        return Files.writeString(dir.resolve("cellar.yaml"), content);
    }

    private static CellarException failure(Runnable load) {
        try {
            load.run();
        } catch (CellarException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            return e;
        }
        throw new AssertionError("expected a CONFIG_INVALID error");
    }

    @Test
    void unknownSectionIsReportedWithLineAndSuggestion() throws IOException {
        Path file = yaml("""
                database:
                  name: restaurant_ordering
                repositry:
                  path: /var/lib/cellar/repo
                """);

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage()).isEqualTo(
                "unknown key 'repositry' in " + file.toAbsolutePath() + " line 3; did you mean 'repository'?");
    }

    @Test
    void unknownKeyInsideSectionIsReportedWithLineAndSuggestion() throws IOException {
        Path file = yaml("backup:\n  compresion-level: 5\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage()).isEqualTo(
                "unknown key 'backup.compresion-level' in " + file.toAbsolutePath()
                        + " line 2; did you mean 'backup.compression-level'?");
    }

    @Test
    void unknownKeyFarFromAnyKnownOneGetsNoSuggestion() throws IOException {
        Path file = yaml("notifications:\n  email: dba@example.com\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage()).isEqualTo(
                "unknown key 'notifications' in " + file.toAbsolutePath() + " line 1");
    }

    @Test
    void unknownOverrideKeyIsReportedWithSuggestion() {
        assertThat(failure(() -> ConfigLoader.load(null, Map.of(), Map.of("repository.pth", "/x"))).getMessage())
                .isEqualTo("unknown key 'repository.pth' (from the command line); did you mean 'repository.path'?");
    }

    @Test
    void mistypedCellarVariableIsRejectedWithSuggestion() {
        assertThat(failure(() -> ConfigLoader.load(null, Map.of("CELLAR_DATABASE_PROT", "5433"), Map.of()))
                .getMessage()).isEqualTo(
                "unknown setting in environment variable CELLAR_DATABASE_PROT; did you mean 'CELLAR_DATABASE_PORT'?");
    }

    @Test
    void nonIntegerFromEnvironmentNamesKeyRangeAndVariable() {
        assertThat(failure(() -> ConfigLoader.load(null, Map.of("CELLAR_DATABASE_PORT", "abc"), Map.of()))
                .getMessage()).isEqualTo(
                "database.port must be an integer 1..65535, got 'abc' (from CELLAR_DATABASE_PORT)");
    }

    @Test
    void nonIntegerFromLibpqVariableNamesIt() {
        assertThat(failure(() -> ConfigLoader.load(null, Map.of("PGPORT", "five"), Map.of())).getMessage())
                .isEqualTo("database.port must be an integer 1..65535, got 'five' (from PGPORT)");
    }

    @Test
    void compressionLevelOutOfRangeNamesFileAndLine() throws IOException {
        Path file = yaml("backup:\n  jobs: 2\n  compression-level: 22\n");

        CellarException e = failure(() -> ConfigLoader.load(file, Map.of(), Map.of()));

        assertThat(e.getMessage()).isEqualTo("backup.compression-level must be an integer 1..19, got '22' (from "
                + file.toAbsolutePath() + " line 3)");
        assertThat(e.hint()).contains("docs/configuration.md");
    }

    @Test
    void fractionalNumberIsNotAnInteger() {
        assertThat(failure(() -> ConfigLoader.load(null, Map.of(), Map.of("retention.wal-days", "7.5"))).getMessage())
                .isEqualTo("retention.wal-days must be an integer 1..36500, got '7.5' (from the command line)");
    }

    @Test
    void malformedYamlIsReportedWithLineAndColumn() throws IOException {
        Path file = yaml("database:\n  host: localhost\n port: 5432\n");

        CellarException e = failure(() -> ConfigLoader.load(file, Map.of(), Map.of()));

        assertThat(e.getMessage()).isEqualTo(file.toAbsolutePath() + " is not valid YAML at line 3, column 2: "
                + "expected <block end>, but found '<block mapping start>'");
        assertThat(e.hint()).contains("spaces");
    }

    @Test
    void tabIndentationIsReportedWhereTheTabIs() throws IOException {
        Path file = yaml("database:\n\thost: localhost\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage())
                .startsWith(file.toAbsolutePath() + " is not valid YAML at line 2, column 1: found character '\\t(TAB)'");
    }

    @Test
    void topLevelMustBeAMappingOfSections() throws IOException {
        Path file = yaml("- repository\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage()).isEqualTo(
                file.toAbsolutePath() + " line 1 must be a mapping of sections (repository:, database:, ...)");
    }

    @Test
    void secondYamlDocumentIsRejected() throws IOException {
        Path file = yaml("database:\n  port: 5432\n---\ndatabase:\n  port: 5433\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage())
                .isEqualTo(file.toAbsolutePath() + " line 4 holds more than one YAML document");
    }

    @Test
    void listWhereValueBelongsIsRejected() throws IOException {
        Path file = yaml("database:\n  host:\n    - a\n    - b\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage())
                .isEqualTo(file.toAbsolutePath() + " line 2 database.host must be a single value, not a list");
    }

    @Test
    void sectionWrittenAsValueIsRejected() throws IOException {
        Path file = yaml("repository: /var/lib/cellar/repo\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage()).isEqualTo(
                file.toAbsolutePath() + " line 1 'repository' must be a section with indented keys below it, not a value");
    }

    @Test
    void duplicateKeyIsRejected() throws IOException {
        Path file = yaml("database:\n  port: 5432\n  name: a\n  port: 5433\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage())
                .isEqualTo(file.toAbsolutePath() + " line 4 sets database.port twice (first on line 2)");
    }

    @Test
    void passphraseFileAndVariableInOneSourceAreRejected() throws IOException {
        Path file = yaml("repository:\n  passphrase-file: /etc/cellar/passphrase\n  passphrase-env: PASS\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage()).isEqualTo(
                "set only one of repository.passphrase-file (from " + file.toAbsolutePath()
                        + " line 2) and repository.passphrase-env (from " + file.toAbsolutePath() + " line 3)");
    }

    @Test
    void badVariableNameForPasswordIsRejected() {
        assertThat(failure(() -> ConfigLoader.load(null, Map.of(), Map.of("database.password-env", "MY-PASS")))
                .getMessage()).isEqualTo("database.password-env must be an environment variable name such as "
                + "CELLAR_PASSPHRASE, got 'MY-PASS' (from the command line)");
    }

    @Test
    void blankValueIsRejected() throws IOException {
        Path file = yaml("database:\n  host: \"  \"\n");

        assertThat(failure(() -> ConfigLoader.load(file, Map.of(), Map.of())).getMessage())
                .isEqualTo("database.host must not be empty (from " + file.toAbsolutePath() + " line 2)");
    }

    @Test
    void explicitFileThatDoesNotExistIsAnError() {
        Path missing = dir.resolve("nope.yaml");

        assertThat(failure(() -> ConfigLoader.load(missing, Map.of(), Map.of())).getMessage())
                .isEqualTo("config file " + missing + " (given on the command line) does not exist");
    }

    @Test
    void cellarConfigNamingMissingFileIsAnError() {
        Path missing = dir.resolve("nope.yaml");

        assertThat(failure(() -> ConfigLoader.load(null, Map.of("CELLAR_CONFIG", missing.toString()), Map.of()))
                .getMessage()).isEqualTo("config file " + missing + " (from CELLAR_CONFIG) does not exist");
    }

    @Test
    void folderGivenAsConfigFileIsAnError() {
        assertThat(failure(() -> ConfigLoader.load(dir, Map.of(), Map.of())).getMessage())
                .isEqualTo("config file " + dir + " (given on the command line) is not a regular file");
    }

    @Test
    void missingRepositoryPathIsReportedWhenACommandNeedsIt() {
        CellarConfig config = ConfigLoader.load(null, Map.of(), Map.of());

        assertThatThrownBy(config::requireRepository)
                .isInstanceOf(CellarException.class)
                .hasMessage("repository.path is not set; set it in cellar.yaml, CELLAR_REPOSITORY_PATH or --repo");
    }

    @Test
    void recordsRejectOutOfRangeValuesBuiltInCode() {
        assertThatThrownBy(() -> new BackupConfig(0, 1, null, 1024))
                .isInstanceOf(CellarException.class)
                .hasMessage("backup.compression-level must be an integer 1..19, got '0'");
        assertThatThrownBy(() -> new RepositoryConfig(Path.of("/r"), null, null))
                .isInstanceOf(CellarException.class)
                .hasMessage("the repository needs a passphrase, repository.key-file, repository.pkcs11.key-label or repository.kms.key-id");
    }
}
