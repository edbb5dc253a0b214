package dev.cellar.server.run;

import java.util.Locale;

/** How a run ended, as the {@code job_run.status} column spells it. */
public enum RunStatus {
    RUNNING, OK, FAILED,
    /** The node stopped (signal, kill, crash) before the job finished. */
    INTERRUPTED,
    /** The job ran past its configured time-out and was stopped. */
    TIMED_OUT,
    /** The slot came while an earlier run of the job was still going. */
    SKIPPED;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus ofColumn(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }
}
