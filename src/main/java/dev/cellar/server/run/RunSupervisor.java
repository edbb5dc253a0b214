package dev.cellar.server.run;

import dev.cellar.error.CellarException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the claims this node owns, each on its own worker thread: keeps their leases with
 * heartbeats, stops a run that passes its time-out, and records how each ended. On shutdown the
 * runs going on get a grace period to finish; those that do not are stopped and recorded as
 * interrupted, so no run is ever silently lost.
 */
public final class RunSupervisor implements AutoCloseable {
    private final JobLedger ledger;
    private final JobRunners runners;
    private final RunEvents events;
    private final Clock clock;
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeats;
    private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** Set by {@link #abandon()}: nothing more is written to the ledger, as after a SIGKILL. */
    private volatile boolean abandoned;

    private final class ActiveRun {
        final RunClaim claim;
        final Instant started;
        final Duration timeout;
        volatile Future<?> future;
        /** Why the run is being stopped from outside, if it is: it decides the recorded status. */
        volatile RunStatus stoppedAs;
        /** Set by whichever records the end first (the worker, or the shutdown for a worker that would not stop). */
        final java.util.concurrent.atomic.AtomicBoolean recorded = new java.util.concurrent.atomic.AtomicBoolean();

        ActiveRun(RunClaim claim, Instant started, Duration timeout) {
            this.claim = claim;
            this.started = started;
            this.timeout = timeout;
        }
    }

    public RunSupervisor(JobLedger ledger, JobRunners runners, RetryPolicy policy, RunEvents events, Clock clock) {
        this.ledger = ledger;
        this.runners = runners;
        this.events = events;
        this.clock = clock;
        AtomicInteger workerNumber = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cellar-job-" + workerNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellar-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, policy.lease().toMillis() / 4);
        heartbeats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts {@code claim} on a worker thread; it is stopped and recorded as timed out after {@code timeout} of this daemon's clock. */
    public void start(RunClaim claim, Duration timeout) {
        if (stopping) {
            ledger.finish(claim, RunStatus.INTERRUPTED, "the daemon was stopping when the run was claimed", null);
            return;
        }
        ActiveRun run = new ActiveRun(claim, clock.instant(), timeout);
        active.put(claim.id(), run);
        events.started(claim);
        run.future = workers.submit(() -> execute(run));
    }

    /** Whether a run of {@code jobKey} is going on this node. */
    public boolean isRunning(String jobKey) {
        return active.values().stream().anyMatch(r -> r.claim.slot().jobKey().equals(jobKey));
    }

    public int running() {
        return active.size();
    }

    public List<RunClaim> runningClaims() {
        return active.values().stream().map(r -> r.claim).toList();
    }

    /** Stops the runs that passed their time-out at {@code now}. */
    public void enforceTimeouts(Instant now) {
        for (ActiveRun run : active.values()) {
            if (run.stoppedAs == null && Duration.between(run.started, now).compareTo(run.timeout) > 0) {
                run.stoppedAs = RunStatus.TIMED_OUT;
                cancel(run);
            }
        }
    }

    /**
     * Takes no more runs, waits up to {@code grace} for the ones going on, then stops the rest and
     * records them as interrupted.
     */
    public void shutdown(Duration grace) {
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(100);
        }
        for (ActiveRun run : active.values()) {
            run.stoppedAs = RunStatus.INTERRUPTED;
            cancel(run);
        }
        long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!active.isEmpty() && System.nanoTime() < stopDeadline) {
            sleepQuietly(100);
        }
        for (ActiveRun run : active.values()) {
            // the worker did not end when interrupted; the record must not wait for it
            record(run, RunStatus.INTERRUPTED, "the daemon stopped before the job finished");
        }
    }

    /**
     * Stops heartbeating and working without recording anything, as a node killed with SIGKILL
     * would: for tests of what the other nodes then do.
     */
    void abandon() {
        abandoned = true;
        stopping = true;
        heartbeats.shutdownNow();
        workers.shutdownNow();
        active.clear();
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
        heartbeats.shutdownNow();
        workers.shutdownNow();
    }

    private void execute(ActiveRun run) {
        RunStatus status;
        String summary;
        String detail = null;
        try {
            JobRunner runner = runners.forKind(run.claim.slot().kind())
                    .orElseThrow(() -> new IllegalStateException("no job kind " + run.claim.slot().kind() + " in this daemon"));
            JobResult result = runner.run(run.claim);
            status = run.stoppedAs != null ? run.stoppedAs : result.ok() ? RunStatus.OK : RunStatus.FAILED;
            summary = run.stoppedAs != null ? stoppedSummary(run) + " (" + result.summary() + ")" : result.summary();
            detail = result.detail();
        } catch (InterruptedException e) {
            status = run.stoppedAs != null ? run.stoppedAs : RunStatus.INTERRUPTED;
            summary = stoppedSummary(run);
        } catch (CellarException e) {
            status = run.stoppedAs != null ? run.stoppedAs : RunStatus.FAILED;
            summary = run.stoppedAs != null ? stoppedSummary(run) : e.getMessage() + (e.hint() == null ? "" : "; HINT: " + e.hint());
        } catch (Exception | Error e) {
            status = run.stoppedAs != null ? run.stoppedAs : RunStatus.FAILED;
            summary = run.stoppedAs != null ? stoppedSummary(run) : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        record(run, status, summary, detail);
    }

    private static String stoppedSummary(ActiveRun run) {
        return run.stoppedAs == RunStatus.TIMED_OUT ? "ran longer than its time-out of " + run.timeout.toMinutes() + " min and was stopped"
                : "the daemon stopped before the job finished";
    }

    private void record(ActiveRun run, RunStatus status, String summary) {
        record(run, status, summary, null);
    }

    private void record(ActiveRun run, RunStatus status, String summary, String detail) {
        if (abandoned || !run.recorded.compareAndSet(false, true)) {
            return;
        }
        try {
            boolean recorded = ledger.finish(run.claim, status, status == RunStatus.OK ? null : summary, detail);
            events.finished(run.claim, recorded ? status : RunStatus.INTERRUPTED,
                    recorded ? summary : "another node took this run for abandoned; its end was not recorded here");
        } finally {
            // only once its end is in the ledger does the run stop counting as running here
            active.remove(run.claim.id());
        }
    }

    private void beat() {
        for (ActiveRun run : active.values()) {
            try {
                if (!ledger.heartbeat(run.claim)) {
                    // another node judged this one gone and retries the slot: stop doing the same work twice
                    run.stoppedAs = RunStatus.INTERRUPTED;
                    cancel(run);
                }
            } catch (RuntimeException e) {
                // the catalog is briefly unreachable: the lease lasts several beats, keep working
            }
        }
    }

    private static void cancel(ActiveRun run) {
        Future<?> future = run.future;
        if (future != null) {
            future.cancel(true);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
