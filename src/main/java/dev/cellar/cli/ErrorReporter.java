package dev.cellar.cli;

import dev.cellar.config.CellarVariable;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure into one message on stderr and the exit code of its {@link ErrorCode}.
 * Stack traces are for bugs only (set CELLAR_DEBUG=1 to see them for every error).
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        boolean debug = System.getenv(CellarVariable.DEBUG.variable()) != null;
        if (e instanceof CellarException ce) {
            commandLine.getErr().println("error: " + ce.getMessage());
            if (ce.hint() != null) {
                commandLine.getErr().println("HINT: " + ce.hint());
            }
            if (debug) {
                ce.printStackTrace(commandLine.getErr());
            }
            return ce.code().exitCode();
        }
        commandLine.getErr().println("error: internal error: " + e);
        commandLine.getErr().println("HINT: this is a bug in cellar; rerun with " + CellarVariable.DEBUG.variable()
                + "=1 and report the stack trace");
        if (debug) {
            e.printStackTrace(commandLine.getErr());
        }
        return ErrorCode.INTERNAL.exitCode();
    }
}
