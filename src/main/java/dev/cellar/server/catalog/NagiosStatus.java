package dev.cellar.server.catalog;

import java.util.List;

/**
 * The Nagios plugin convention {@code cellar status} exits with, so existing monitoring can call
 * it: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. These differ from Cellar's other exit codes
 * (docs/exit-codes.md).
 */
public enum NagiosStatus {
    OK(0), WARNING(1), CRITICAL(2), UNKNOWN(3);

    private final int exitCode;

    NagiosStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The worst status among the rows; UNKNOWN when there is nothing to judge (no backup was ever recorded). */
    public static NagiosStatus worstOf(List<MonitoringRow> rows) {
        if (rows.isEmpty()) {
            return UNKNOWN;
        }
        NagiosStatus worst = OK;
        for (MonitoringRow row : rows) {
            NagiosStatus status = valueOf(row.status());
            if (status.exitCode > worst.exitCode) {
                worst = status;
            }
        }
        return worst;
    }
}
