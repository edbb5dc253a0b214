package dev.cellar.recover;

import java.time.Duration;

/**
 * One hook command's run.
 *
 * @param exitCode the command's exit code, or -1 when it timed out or could not start
 * @param output   its standard output and error, merged (cut at {@link HookRunner#MAX_OUTPUT} characters)
 */
public record HookRun(String command, int exitCode, String output, Duration duration, boolean timedOut) {
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    public String problem() {
        return timedOut ? "timed out after " + duration.toSeconds() + " s and was killed" : "exited with code " + exitCode;
    }
}
