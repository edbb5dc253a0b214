package dev.cellar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code cellar key} command line: each add method alone, and the help that teaches a passphrase change. */
class KeyCommandTest {
    @Test
    void addTakesExactlyOneMethodAndItsOwnKeyFileOptionBesideTheUnlockingOne() {
        CommandLine.ParseResult parsed = CellarCommand.newCommandLine()
                .parseArgs("key", "add", "--existing-key-file", "/new/key", "--key-file", "/unlocking/key");
        KeyAddCommand add = (KeyAddCommand) parsed.subcommand().subcommand().commandSpec().userObject();

        assertThat(add.method.keyFile).hasToString("/new/key");
        assertThat(add.common.keyFile).hasToString("/unlocking/key");
        assertThatThrownBy(() -> CellarCommand.newCommandLine().parseArgs("key", "add", "--pkcs11", "--kms", "alias/k"))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> CellarCommand.newCommandLine().parseArgs("key", "add"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void theHelpSaysHowToChangeAPassphrase() {
        StringWriter help = new StringWriter();
        CommandLine key = CellarCommand.newCommandLine().getSubcommands().get("key");
        key.usage(new PrintWriter(help));

        assertThat(help.toString().replaceAll("\\s+", " ")).contains("list").contains("add").contains("remove").contains("'key add' the new one, then 'key remove' the old slot");
    }
}
