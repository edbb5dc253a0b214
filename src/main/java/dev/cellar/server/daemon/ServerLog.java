package dev.cellar.server.daemon;

import java.io.PrintStream;
import java.time.Clock;

/**
 * The daemon's log: one line per event, with its instant (the daemon's clock) and node, on the
 * stream systemd's journal reads. Never a secret; errors with their HINT.
 */
public final class ServerLog {
    private final PrintStream out;
    private final Clock clock;
    private final String node;

    public ServerLog(PrintStream out, Clock clock, String node) {
        this.out = out;
        this.clock = clock;
        this.node = node;
    }

    public void info(String message) {
        line("", message);
    }

    public void warn(String message) {
        line("warning: ", message);
    }

    public void error(String message) {
        line("error: ", message);
    }

    private void line(String level, String message) {
        synchronized (out) {
            out.println(clock.instant() + " " + node + " " + level + message);
            out.flush();
        }
    }
}
