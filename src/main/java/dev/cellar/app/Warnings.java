package dev.cellar.app;

import java.io.PrintStream;

/**
 * Where an operation says what went wrong while it still succeeds (a copy fell behind, a damaged
 * manifest skipped, this host's clock drifts): the CLI prints it on stderr, the daemon logs it and
 * may attach it to the job's record. A message may carry a second line starting with "HINT: ".
 */
@FunctionalInterface
public interface Warnings {

    /** Told one warning; may be called from several threads at once. */
    void warn(String message);

    /** Prints each warning as {@code warning: <message>} on {@code err}, flushed, one warning at a time. */
    static Warnings printingTo(PrintStream err) {
        return message -> {
            synchronized (err) {
                err.println("warning: " + message);
                err.flush();
            }
        };
    }
}
