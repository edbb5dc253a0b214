package dev.cellar.cli;

import dev.cellar.config.CellarVariable;
import dev.cellar.repo.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on stderr for people at a terminal; silent when stderr is not a
 * terminal (cron, scripts) so logs are not filled with carriage returns.
 */
final class TerminalProgress implements ProgressListener, AutoCloseable {
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private TerminalProgress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static TerminalProgress forTerminal() {
        return new TerminalProgress(System.err, System.console() != null && System.getenv(CellarVariable.NO_PROGRESS.variable()) == null);
    }

    @Override
    public synchronized void progress(String phase, long done, long total) {
        if (!enabled) {
            return;
        }
        if (total == 0) {
            err.print("\r\033[K" + phase + " ...");
            err.flush();
            drawn = true;
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && (total < 0 || done < total)) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max(0.001, (now - startNanos) / 1e9);
        String rate = Output.bytes((long) (done / seconds)) + "/s";
        String line = total > 0
                ? String.format(Locale.ROOT, "%-8s %5.1f%%  %s of %s  %s", phase, 100.0 * done / total, Output.bytes(done), Output.bytes(total), rate)
                : String.format(Locale.ROOT, "%-8s %s  %s", phase, Output.bytes(done), rate);
        err.print("\r" + line + "    ");
        drawn = true;
        if (total > 0 && done >= total) {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }
}
