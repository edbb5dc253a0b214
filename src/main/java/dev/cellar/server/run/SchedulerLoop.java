package dev.cellar.server.run;

import dev.cellar.config.ScheduledDatabase;
import dev.cellar.server.schedule.DueRun;
import dev.cellar.server.schedule.Schedule;
import dev.cellar.server.schedule.ScheduledJob;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One pass of the scheduler, run every tick on every node: retry runs whose node stopped
 * answering, then, for each planned job, ask its schedule for the one run due since the newest
 * slot any node handled, and try to claim it. Whichever node's claim lands runs it; a slot that
 * comes while the job still runs is recorded as skipped; after downtime the newest missed slot
 * runs once, marked late.
 */
public final class SchedulerLoop {
    private final List<ScheduledJob> jobs;
    private final JobLedger ledger;
    private final RunSupervisor supervisor;
    private final RetryPolicy policy;
    private final RunEvents events;
    private final Clock clock;
    private final String node;
    /** Where a job that no node ever handled starts counting slots: the catalog's first daemon start. */
    private final Instant firstStart;
    /** The previous tick's instant: a run counts as late only beyond the scheduler's own granularity. */
    private Instant previousTick;

    public SchedulerLoop(List<ScheduledJob> jobs, JobLedger ledger, RunSupervisor supervisor, RetryPolicy policy, RunEvents events,
                         Clock clock, String node, Instant firstStart) {
        this.jobs = List.copyOf(jobs);
        this.ledger = ledger;
        this.supervisor = supervisor;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
        this.node = node;
        this.firstStart = firstStart;
    }

    /** The earliest slot of any job after {@code now}: when the next tick is worth making. */
    public Optional<Instant> nextSlot(Instant now) {
        return jobs.stream().map(job -> job.schedule().next(now)).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /** Looks at every job once; returns the claims started on this node. */
    public List<RunClaim> tick() {
        Instant now = clock.instant();
        List<RunClaim> started = new java.util.ArrayList<>();
        supervisor.enforceTimeouts(now);
        for (RunClaim retry : ledger.retryAbandoned(policy, node)) {
            events.retried(retry);
            supervisor.start(retry, timeoutOf(retry.slot().jobKey()));
            started.add(retry);
        }
        for (ScheduledJob job : jobs) {
            Instant lastHandled = ledger.lastScheduled(job.key()).filter(last -> last.isAfter(firstStart)).orElse(firstStart);
            Optional<DueRun> due = job.schedule().dueSince(lastHandled, now, onTimeGrace(now));
            if (due.isEmpty()) {
                continue;
            }
            JobSlot slot = new JobSlot(job.key(), job.kind(), job.databaseIfAny().map(ScheduledDatabase::name).orElse(null),
                    due.get().scheduled(), due.get().late(),
                    (int) Math.min(Integer.MAX_VALUE, due.get().slotsDropped()));
            switch (ledger.claim(slot, node)) {
                case ClaimOutcome.Claimed claimed -> {
                    supervisor.start(claimed.claim(), job.timeout());
                    started.add(claimed.claim());
                }
                case ClaimOutcome.Skipped skipped -> events.skipped(slot, skipped);
                case ClaimOutcome.AlreadyHandled handled -> {
                }
            }
        }
        events.ticked(now, supervisor.running());
        previousTick = now;
        return started;
    }

    /**
     * How long after its slot a run still counts as on time: a minute, or two ticks when ticks are
     * further apart than that (a slow catalog, or a test clock that runs faster than real time).
     */
    private Duration onTimeGrace(Instant now) {
        Duration grace = Schedule.ON_TIME_GRACE;
        if (previousTick != null && previousTick.isBefore(now)) {
            Duration twoTicks = Duration.between(previousTick, now).multipliedBy(2);
            grace = twoTicks.compareTo(grace) > 0 ? twoTicks : grace;
        }
        return grace;
    }

    private Duration timeoutOf(String jobKey) {
        return jobs.stream().filter(j -> j.key().equals(jobKey)).map(ScheduledJob::timeout).findFirst().orElse(Duration.ofHours(6));
    }
}
