package dev.cellar.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.RepositoryJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The long operations of the REST API: each is recorded in the catalog, runs on a small bounded
 * executor (a request answers 202 at once), reports its progress to pollers and event listeners,
 * and on a four-eyes database waits for a second person's approval first.
 */
public final class OperationRegistry implements AutoCloseable {
    /** Two at once: these are backups and restores on a host that also runs PostgreSQL. */
    static final int THREADS = 2;
    /** Beyond this many waiting, a request is refused (503) rather than queued for hours. */
    static final int QUEUE = 16;
    /** How often progress is written to the catalog (pollers on this node read it from memory, always fresh). */
    private static final Duration PROGRESS_WRITE_EVERY = Duration.ofSeconds(2);
    /** How often progress is sent to event listeners: a dump reports every few kilobytes, a browser needs a few updates a second. */
    private static final Duration PROGRESS_EVENT_EVERY = Duration.ofMillis(250);
    /** How long closing waits for running operations to notice the interruption before it marks them interrupted. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final OperationStore store;
    private final OperationRunner runner;
    private final Clock clock;
    private final Duration approvalExpiry;
    private final ThreadPoolExecutor executor;
    private final Map<String, OperationRecord> live = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<OperationEvent>>> listeners = new ConcurrentHashMap<>();

    public OperationRegistry(javax.sql.DataSource catalog, OperationRunner runner, Clock clock, Duration approvalExpiry) {
        this.store = new OperationStore(catalog);
        this.runner = runner;
        this.clock = clock;
        this.approvalExpiry = approvalExpiry;
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread thread = new Thread(r, "cellar-operation");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Marks what a previous run of the server left running as interrupted; how many. Call once before serving requests. */
    public int recoverAfterRestart() {
        return store.markInterrupted(clock.instant());
    }

    /**
     * Records the operation and starts it, or with {@code needsApproval} leaves it awaiting a
     * second person until {@code web.approval-expiry-minutes} have passed.
     *
     * @throws ApiProblem 503 when too many operations are already waiting to run
     */
    public OperationRecord submit(OperationRequest request, String user, String source, boolean needsApproval) {
        Instant now = clock.instant();
        OperationRecord op = OperationRecord.requested(UUID.randomUUID().toString(), request, user, source, now,
                needsApproval ? now.plus(approvalExpiry) : null);
        if (!needsApproval && executor.getQueue().remainingCapacity() == 0) {
            throw tooBusy();
        }
        store.insert(op);
        if (!needsApproval) {
            launch(op);
        }
        return op;
    }

    /**
     * Starts an operation awaiting approval, on behalf of {@code approver}.
     *
     * @throws ApiProblem 404 unknown, 403 the requester's own, 409 not awaiting approval or expired
     */
    public OperationRecord approve(String id, String approver) {
        OperationRecord op = decidable(id, approver, "approve");
        OperationRecord approved = op.approved(approver, clock.instant());
        if (!store.update(approved, OperationState.AWAITING_APPROVAL)) {
            throw changedMeanwhile(id);
        }
        launch(approved);
        return approved;
    }

    /** Ends an operation awaiting approval unrun; the same refusals as {@link #approve}. */
    public OperationRecord reject(String id, String rejecter) {
        OperationRecord op = decidable(id, rejecter, "reject");
        OperationRecord rejected = op.rejected(rejecter, clock.instant());
        if (!store.update(rejected, OperationState.AWAITING_APPROVAL)) {
            throw changedMeanwhile(id);
        }
        publish(OperationEvent.DONE, rejected);
        return rejected;
    }

    /** The operation as it is now: from memory while it runs here, else from the catalog. */
    public Optional<OperationRecord> find(String id) {
        OperationRecord running = live.get(id);
        if (running != null) {
            return Optional.of(running);
        }
        return store.find(id).map(this::expireIfDue);
    }

    /** The newest operations, newest first. */
    public List<OperationRecord> recent(int limit) {
        return store.recent(limit).stream().map(op -> live.getOrDefault(op.id(), op)).map(this::expireIfDue).toList();
    }

    /**
     * Calls {@code listener} with every event of the operation from now on; the returned handle
     * stops it. The caller reads the current state with {@link #find} after subscribing, so that
     * nothing falls between.
     */
    public AutoCloseable subscribe(String id, Consumer<OperationEvent> listener) {
        listeners.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(id, List.of()).remove(listener);
    }

    /**
     * Stops the executor: running operations are interrupted, queued ones never start; whatever
     * has not ended within a few seconds is marked interrupted now rather than at the next start.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (OperationRecord op : live.values()) {
            try {
                if (store.update(op.interrupted(clock.instant()), OperationState.RUNNING)) {
                    publish(OperationEvent.DONE, op.interrupted(clock.instant()));
                }
            } catch (RuntimeException e) {
                // the catalog is going away too: the next start marks it interrupted
            }
        }
        live.clear();
    }

    private OperationRecord decidable(String id, String user, String verb) {
        OperationRecord op = store.find(id).orElseThrow(() -> unknown(id));
        return switch (OperationTransitions.decide(op, user, clock.instant())) {
            case ALLOWED -> op;
            case OWN_REQUEST -> throw new ApiProblem(403, user + " requested operation " + id + " and cannot " + verb + " it",
                    "four-eyes: another user with the approve permission (admin or dba) must " + verb + " it");
            case EXPIRED -> {
                expireIfDue(op);
                throw new ApiProblem(409, "operation " + id + " expired unapproved at " + op.approvalExpiresAt(),
                        "ask for it again (web.approval-expiry-minutes sets how long a request waits)");
            }
            case NOT_AWAITING -> throw new ApiProblem(409, "operation " + id + " is " + op.state().word() + ", not awaiting approval",
                    "GET /api/operations/" + id + " shows its state");
        };
    }

    private OperationRecord expireIfDue(OperationRecord op) {
        OperationRecord now = OperationTransitions.asOf(op, clock.instant());
        if (now != op && store.update(now, OperationState.AWAITING_APPROVAL)) {
            publish(OperationEvent.DONE, now);
        }
        return now;
    }

    private void launch(OperationRecord op) {
        live.put(op.id(), op);
        try {
            executor.execute(() -> run(op.id()));
        } catch (RejectedExecutionException e) {
            live.remove(op.id());
            OperationRecord refused = op.failed("refused: " + QUEUE + " operations were already waiting to run; start it again later",
                    clock.instant());
            store.update(refused, OperationState.RUNNING);
            publish(OperationEvent.DONE, refused);
            throw tooBusy();
        }
        publish(OperationEvent.STATE, op);
    }

    private void run(String id) {
        OperationRecord op = live.get(id);
        ProgressFeed feed = new ProgressFeed(id);
        OperationRecord ended;
        try {
            Object result = runner.run(op.request(), feed);
            JsonNode json = RepositoryJson.mapper().valueToTree(result);
            ended = live.get(id).succeeded(json, clock.instant());
        } catch (CellarException e) {
            ended = live.get(id).failed(describe(op, e), clock.instant());
        } catch (Exception | LinkageError e) {
            ended = live.get(id).failed("internal error: " + e, clock.instant());
        }
        try {
            store.update(ended, OperationState.RUNNING);
        } finally {
            // pollers on this node fall back to the catalog; if it could not be written, the next start marks the row interrupted
            live.remove(id);
            publish(OperationEvent.DONE, ended);
            listeners.remove(id);
        }
    }

    /** The error as an operator reads it; a lock another operation of ours holds is named, with where to watch it. */
    private String describe(OperationRecord op, CellarException e) {
        String message = e.getMessage() + (e.hint() == null ? "" : "; HINT: " + e.hint());
        if (e.code() == ErrorCode.LOCKED) {
            Optional<OperationRecord> holder = live.values().stream()
                    .filter(other -> !other.id().equals(op.id()) && other.kind().exclusiveLock()).findFirst();
            if (holder.isPresent()) {
                OperationRecord h = holder.get();
                return "the repository lock is held by operation " + h.id() + " (" + h.kind().word() + ", requested by " + h.requestedBy()
                        + "): only one operation that changes what the repository holds can run at a time; start this one again once "
                        + "GET /api/operations/" + h.id() + " says it ended (" + message + ")";
            }
        }
        return message;
    }

    private void publish(String event, OperationRecord op) {
        for (Consumer<OperationEvent> listener : listeners.getOrDefault(op.id(), List.of())) {
            try {
                listener.accept(new OperationEvent(event, op));
            } catch (RuntimeException e) {
                // a listener whose client went away must not stop the operation
            }
        }
    }

    private static ApiProblem unknown(String id) {
        return ApiProblem.notFound("no operation " + id, "GET /api/operations lists the recent ones");
    }

    private static ApiProblem changedMeanwhile(String id) {
        return new ApiProblem(409, "operation " + id + " was decided by someone else meanwhile", "GET /api/operations/" + id + " shows its state");
    }

    private static ApiProblem tooBusy() {
        return new ApiProblem(503, "too many operations are waiting to run", "wait for some to end (GET /api/operations) and ask again");
    }

    /** Turns a service's progress into the live record, its events, and now and then the catalog row. */
    private final class ProgressFeed implements ProgressListener {
        private final String id;
        private Instant lastWrite = Instant.EPOCH;
        private Instant lastEvent = Instant.EPOCH;
        private String lastPhase = "";

        ProgressFeed(String id) {
            this.id = id;
        }

        @Override
        public synchronized void progress(String phase, long done, long total) {
            OperationRecord now = live.computeIfPresent(id, (k, op) -> op.progressed(new OperationProgress(phase, done, total)));
            if (now == null) {
                return;
            }
            Instant at = clock.instant();
            boolean newPhase = !phase.equals(lastPhase);
            lastPhase = phase;
            if (newPhase || !at.isBefore(lastEvent.plus(PROGRESS_EVENT_EVERY))) {
                lastEvent = at;
                publish(OperationEvent.PROGRESS, now);
            }
            if (newPhase || !at.isBefore(lastWrite.plus(PROGRESS_WRITE_EVERY))) {
                lastWrite = at;
                try {
                    store.update(now, OperationState.RUNNING);
                } catch (RuntimeException e) {
                    // progress that cannot be written must not stop the backup; the end state is written again
                }
            }
        }
    }
}
