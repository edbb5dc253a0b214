package dev.cellar.repo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The audit records of one operation that writes the repository, such as a backup: a "started"
 * record once it has an id, and exactly one closing record however it ends: "ok"; "failed" with
 * the error, also when it fails before it started (database gone, pg_dump missing, lock busy);
 * or "interrupted" when the process is stopped by SIGTERM, SIGINT (Ctrl-C) or SIGHUP while it
 * runs, written by a shutdown hook. SIGKILL leaves no chance to write anything: the lock such a
 * process leaves behind is recorded as "abandoned" when it is broken ({@link #recordAbandoned}).
 */
public final class AuditedOperation implements AutoCloseable {
    /**
     * False in a process that handles signals itself ({@code cellar server}): it lets the
     * operations going on finish within a grace period, so a hook that closed them as interrupted
     * at the first signal would contradict what then happens.
     */
    private static volatile boolean closeOnSignal = true;

    private final AuditLog log;
    private final Clock clock;
    private final String operation;
    private final String target;
    private final Instant begun;
    private final Thread onSignal;
    private String id;
    private boolean ended;

    private AuditedOperation(AuditLog log, Clock clock, String operation, String target) {
        this.log = log;
        this.clock = clock;
        this.operation = operation;
        this.target = target;
        this.begun = clock.instant();
        this.onSignal = closeOnSignal ? new Thread(this::interrupted, "audit-" + operation) : null;
        if (onSignal != null) {
            Runtime.getRuntime().addShutdownHook(onSignal);
        }
    }

    /**
     * For a process that stops its operations itself on a signal: from now on an operation's
     * closing record is written by the operation (ok, or failed when it is stopped), never by a
     * shutdown hook of its own.
     */
    public static void leaveSignalsToTheProcess() {
        closeOnSignal = false;
    }

    /** Begins watching {@code operation} on {@code target} (e.g. a database); nothing is written yet. */
    public static AuditedOperation begin(Repository repository, String operation, String target) {
        return new AuditedOperation(repository.audit(), repository.clock(), operation, target);
    }

    /** Writes the "started" record under the operation's id; returns its sequence number, which a manifest refers to. */
    public long started(String operationId) {
        return started(operationId, "");
    }

    /** As {@link #started(String)}, with more about what it works on (a data directory) in the record. */
    public synchronized long started(String operationId, String about) {
        this.id = operationId;
        return log.append(operation, target, AuditRecord.STARTED, about.isEmpty() ? operationId : operationId + " " + about, 0, null)
                .sequence();
    }

    /** Writes the "ok" record. */
    public synchronized void succeeded(long bytes, Duration duration) {
        if (!ended) {
            ended = true;
            log.append(operation, target, AuditRecord.OK, id == null ? "" : id, bytes, duration);
        }
    }

    /**
     * Writes the "failed" record with the error's message. A failure to write it is attached to
     * {@code error} as suppressed, never thrown in its place.
     */
    public synchronized void failed(RuntimeException error) {
        if (!ended) {
            ended = true;
            log.appendFailure(operation, target, detail(String.valueOf(error.getMessage())), elapsed(), error);
        }
    }

    /** Stops watching for signals; an operation left without a closing record (an Error escaped) is recorded as failed. */
    @Override
    public void close() {
        try {
            if (onSignal != null) {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            }
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: it writes the closing record
        }
        synchronized (this) {
            if (!ended) {
                ended = true;
                try {
                    log.append(operation, target, AuditRecord.FAILED, detail("ended without a result; see the command's error output"),
                            0, elapsed());
                } catch (RuntimeException auditFailure) {
                    // the error that ended the operation is already on its way to the operator
                }
            }
        }
    }

    /**
     * The closing record of an operation whose process died holding {@code lock} (SIGKILL, a crash,
     * a host that went down): written by whoever breaks the stale lock, as nothing else ever will.
     */
    public static void recordAbandoned(AuditLog log, LockInfo lock) {
        log.append("lock.stale", lock.operation(), AuditRecord.ABANDONED, "the " + lock.mode() + " lock of " + lock.holder()
                + " taken " + lock.startedAt() + " was left behind: that process ended without finishing '" + lock.operation()
                + "' (killed, or its host went down); the lock was removed", 0, null);
    }

    private synchronized void interrupted() {
        if (!ended) {
            ended = true;
            try {
                log.append(operation, target, AuditRecord.INTERRUPTED, detail("interrupted: the process was stopped by a signal "
                        + "(SIGTERM, SIGINT or SIGHUP) after " + elapsed().toSeconds() + " s, before the operation finished"), 0, elapsed());
            } catch (RuntimeException auditFailure) {
                // the process is going away; nowhere is left to report this
            }
        }
    }

    private String detail(String message) {
        return id == null ? message : id + ": " + message;
    }

    private Duration elapsed() {
        return Duration.between(begun, clock.instant());
    }
}
