package dev.cellar.pg;

import java.time.Duration;

/**
 * What an external program did: its exit code, its whole standard output, and the end of its
 * standard error (bounded, for error messages).
 */
public record ProcessResult(int exitCode, String stdout, String stderrTail, Duration elapsed) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
