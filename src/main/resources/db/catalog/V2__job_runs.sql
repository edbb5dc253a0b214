-- The daemon's runs of scheduled jobs: one row per attempt at one scheduled instant of one job.
-- The unique key (job_key, scheduled_for, attempt) is what makes a slot run once across nodes:
-- the node whose INSERT lands owns the attempt; every other node's INSERT does nothing.
CREATE TABLE cellar.job_run (
    id            bigserial PRIMARY KEY,
    job_key       text        NOT NULL,
    job_kind      text        NOT NULL,
    database_name text,
    scheduled_for timestamptz NOT NULL,
    attempt       integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    node          text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted', 'timed_out', 'skipped')),
    -- a run made after its instant had passed (the daemon was down): how many slots it stands for
    late          boolean     NOT NULL DEFAULT false,
    missed_slots  integer     NOT NULL DEFAULT 0,
    claimed_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    error         text,
    detail        text,
    UNIQUE (job_key, scheduled_for, attempt)
);

CREATE INDEX job_run_running ON cellar.job_run (job_key) WHERE status = 'running';
CREATE INDEX job_run_recent ON cellar.job_run (job_key, scheduled_for DESC);

-- Every daemon process that works on this catalog, with its heartbeat in the database's time.
CREATE TABLE cellar.server_node (
    node         text        PRIMARY KEY,
    host         text        NOT NULL,
    pid          bigint      NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    -- the instant the node's own clock showed at start: schedules count slots from the first one
    clock_started_at timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at   timestamptz
);
