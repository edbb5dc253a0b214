package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SecretSourceTest {
    private static final SecretName PASSPHRASE = SecretName.REPOSITORY_PASSPHRASE;
    private static final SecretPrompter NO_PROMPT = secret -> {
        throw new AssertionError("must not prompt");
    };

    @TempDir
    Path dir;

    private Path secretFile(String content, String mode) throws IOException {
        Path file = Files.writeString(dir.resolve("passphrase"), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void envSourceReadsTheVariable() {
        char[] secret = new SecretSource.FromEnv(PASSPHRASE, "VAULT_PASS")
                .resolve(NO_PROMPT, Map.of("VAULT_PASS", "s3cret"));

        assertThat(secret).containsExactly("s3cret".toCharArray());
    }

    @Test
    void envSourceWithUnsetVariableNamesKeyAndVariable() {
        var source = new SecretSource.FromEnv(PASSPHRASE, "VAULT_PASS");

        assertThatThrownBy(() -> source.resolve(NO_PROMPT, Map.of()))
                .isInstanceOf(CellarException.class)
                .hasMessage("repository.passphrase comes from environment variable VAULT_PASS, which is not set")
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    @Test
    void envSourceWithEmptyVariableIsRejected() {
        var source = new SecretSource.FromEnv(PASSPHRASE, "CELLAR_PASSPHRASE");

        assertThatThrownBy(() -> source.resolve(NO_PROMPT, Map.of("CELLAR_PASSPHRASE", "")))
                .hasMessage("repository.passphrase from environment variable CELLAR_PASSPHRASE is empty");
    }

    @Test
    void ownerOnlyFileIsAcceptedWithOneTrailingNewlineStripped() throws IOException {
        Path file = secretFile("two words\n\n", "rw-------");
        char[] secret = new SecretSource.FromFile(PASSPHRASE, file).resolve(NO_PROMPT, Map.of());

        assertThat(new String(secret)).isEqualTo("two words\n");
    }

    @Test
    void windowsLineEndingIsStrippedToo() throws IOException {
        Path file = secretFile("s3cret\r\n", "r--------");

        assertThat(new SecretSource.FromFile(PASSPHRASE, file).resolve(NO_PROMPT, Map.of()))
                .containsExactly("s3cret".toCharArray());
    }

    @Test
    void fileReadableByOthersIsRejectedWithChmodHint() throws IOException {
        Path file = secretFile("s3cret\n", "rw-r--r--");
        var source = new SecretSource.FromFile(PASSPHRASE, file);

        assertThatThrownBy(() -> source.resolve(NO_PROMPT, Map.of()))
                .isInstanceOf(CellarException.class)
                .hasMessage("repository.passphrase file " + file
                        + " is accessible by other users (mode 0644); refusing to use it")
                .satisfies(e -> assertThat(((CellarException) e).hint()).isEqualTo("chmod 600 " + file));
    }

    @Test
    void fileReadableByGroupIsRejected() throws IOException {
        Path file = secretFile("s3cret\n", "rw-r-----");

        assertThatThrownBy(() -> new SecretSource.FromFile(PASSPHRASE, file).resolve(NO_PROMPT, Map.of()))
                .hasMessageContaining("(mode 0640)");
    }

    @Test
    void missingFileNamesKeyAndFile() {
        Path file = dir.resolve("absent");

        assertThatThrownBy(() -> new SecretSource.FromFile(SecretName.DATABASE_PASSWORD, file)
                .resolve(NO_PROMPT, Map.of()))
                .isInstanceOf(CellarException.class)
                .hasMessage("database.password comes from file " + file + ", which cannot be read: no such file");
    }

    @Test
    void fileHoldingOnlyANewlineIsEmpty() throws IOException {
        Path file = secretFile("\n", "rw-------");

        assertThatThrownBy(() -> new SecretSource.FromFile(PASSPHRASE, file).resolve(NO_PROMPT, Map.of()))
                .hasMessage("repository.passphrase from file " + file + " is empty");
    }

    @Test
    void promptAsksThePrompterForThatSecret() {
        SecretPrompter prompter = secret -> (secret.label() + "!").toCharArray();

        assertThat(new SecretSource.Prompt(PASSPHRASE).resolve(prompter, Map.of()))
                .containsExactly("repository passphrase!".toCharArray());
    }

    @Test
    void consolePrompterWithoutTerminalSaysWhatToSetInstead() {
        assumeTrue(System.console() == null, "this test needs a JVM without a terminal");

        assertThatThrownBy(() -> new ConsolePrompter().readSecret(PASSPHRASE))
                .isInstanceOf(CellarException.class)
                .hasMessage("no terminal to prompt for the repository passphrase; "
                        + "set CELLAR_PASSPHRASE or repository.passphrase-file");
    }

    @Test
    void toStringNamesTheLocationOnly() {
        assertThat(new SecretSource.FromEnv(PASSPHRASE, "CELLAR_PASSPHRASE").toString())
                .isEqualTo("FromEnv[secret=REPOSITORY_PASSPHRASE, variable=CELLAR_PASSPHRASE]");
    }
}
