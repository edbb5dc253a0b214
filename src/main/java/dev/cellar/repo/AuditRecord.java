package dev.cellar.repo;

import java.time.Instant;

/**
 * One line of the audit trail: who did what to which target, with what result. {@code mac}
 * chains it to the previous record ({@code previousMac}) under a key only key holders have.
 */
public record AuditRecord(
        long sequence,
        Instant time,
        String user,
        String host,
        String operation,
        String target,
        String result,
        String detail,
        long bytes,
        long durationMillis,
        String previousMac,
        String mac) {

    public static final String STARTED = "started";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    /** The process was stopped by a signal while the operation ran. */
    public static final String INTERRUPTED = "interrupted";
    /** A stale lock was broken: the process holding it ended without finishing its operation. */
    public static final String ABANDONED = "abandoned";

    AuditRecord withMacs(String previous, String own) {
        return new AuditRecord(sequence, time, user, host, operation, target, result, detail, bytes, durationMillis, previous, own);
    }
}
