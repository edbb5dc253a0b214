package dev.cellar.cli;

import picocli.CommandLine;

/**
 * Runs {@code WalStreamCommand} on its own ({@code java -cp cellar.jar:test-classes ... stream
 * options}) until it is registered under {@code cellar wal}: tests drive the real command line,
 * signals and exit codes without touching the command tree.
 */
public final class WalStreamTestMain {
    private WalStreamTestMain() {
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new WalStreamCommand()).setExecutionExceptionHandler(new ErrorReporter());
        System.exit(commandLine.execute(args));
    }
}
