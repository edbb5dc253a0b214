-- The catalog: a cache of what the repository and its audit trail say (docs/catalog.md).
-- Everything here can be rebuilt with 'cellar catalog rebuild'. Flyway runs this in schema cellar.

-- One row per operation of any kind, whoever ran it (the CLI or the server).
CREATE TABLE backup_log (
    id               bigserial PRIMARY KEY,
    -- the MAC of the operation's first audit record: what makes a second ingest add nothing
    audit_mac        text        NOT NULL UNIQUE,
    -- as the audit trail names it: backup.logical, backup.physical, restore.logical, restore.pitr,
    -- verify, verify.restore-test, expire, gc, repo sync, init, unlock, lock.stale, ...
    operation        text        NOT NULL,
    -- logical or physical for a backup, null for every other operation
    backup_type      text,
    -- full or incremental for a physical backup whose manifest was read
    physical_type    text,
    database         text,
    target           text        NOT NULL,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    status           text        NOT NULL CHECK (status IN ('ok', 'failed', 'interrupted', 'abandoned', 'running')),
    -- a backup's logical size (what a restore writes) and the new bytes it stored after deduplication
    size_bytes       bigint,
    stored_bytes     bigint,
    duration         interval,
    -- how many configured copies of the repository hold the backup's manifest
    copies           integer,
    error            text,
    detail           text,
    backup_id        text,
    parent_backup_id text,
    -- when Cellar's expire deleted the backup
    expired_at       timestamptz,
    run_by           text,
    first_sequence   bigint      NOT NULL,
    last_sequence    bigint      NOT NULL
);

CREATE UNIQUE INDEX backup_log_backup_id ON backup_log (backup_id) WHERE backup_id IS NOT NULL;
CREATE INDEX backup_log_newest_ok ON backup_log (database, backup_type, started_at DESC) WHERE status = 'ok';
CREATE INDEX backup_log_started ON backup_log (started_at);

-- How old the newest successful backup of each type may be. Edit the rows to fit your schedule.
CREATE TABLE monitoring_threshold (
    backup_type    text     PRIMARY KEY,
    warning_after  interval NOT NULL,
    critical_after interval NOT NULL,
    CHECK (critical_after >= warning_after)
);

-- logical: the seed's daily full (23 h / 25 h). physical: hourly 07:00-23:00, so the longest
-- normal gap is the 8 h night; an hour of slack on top, as the seed's pair has (docs/catalog.md).
INSERT INTO monitoring_threshold VALUES
    ('logical', interval '23 hours', interval '25 hours'),
    ('physical', interval '9 hours', interval '10 hours');

-- Database and backup type pairs that must be watched before their first backup ever ran
-- (the server fills it from its schedules): a pair that never succeeded is CRITICAL, not absent.
CREATE TABLE expected_backup (
    database    text NOT NULL,
    backup_type text NOT NULL REFERENCES monitoring_threshold,
    PRIMARY KEY (database, backup_type)
);

-- The seed's backup_monitoring, correct: one row per database and backup type, judged from the
-- newest successful backup that still existed at the instant 'at'.
CREATE FUNCTION backup_monitoring_at(at timestamptz)
    RETURNS TABLE (
        database         text,
        backup_type      text,
        last_backup      timestamptz,
        status           text,
        backup_size_mb   numeric,
        duration_minutes numeric,
        age              interval,
        backup_id        text,
        warning_after    interval,
        critical_after   interval)
    LANGUAGE sql STABLE
    -- the schema Flyway migrates into, so psql or Grafana with any search_path gets the same answer
    SET search_path FROM CURRENT
    AS $$
    WITH pairs AS (
        SELECT DISTINCT l.database, l.backup_type FROM backup_log l
         WHERE l.backup_type IS NOT NULL AND l.database IS NOT NULL
        UNION
        SELECT e.database, e.backup_type FROM expected_backup e
    ), newest AS (
        SELECT DISTINCT ON (l.database, l.backup_type)
               l.database, l.backup_type, l.started_at, l.size_bytes, l.duration, l.backup_id
          FROM backup_log l
         WHERE l.status = 'ok' AND l.backup_type IS NOT NULL AND l.started_at <= at
           AND (l.expired_at IS NULL OR l.expired_at > at)
         ORDER BY l.database, l.backup_type, l.started_at DESC
    )
    SELECT p.database, p.backup_type, n.started_at,
           CASE WHEN n.started_at IS NULL OR n.started_at < at - t.critical_after THEN 'CRITICAL'
                WHEN n.started_at < at - t.warning_after THEN 'WARNING'
                ELSE 'OK' END,
           round(n.size_bytes / 1048576.0, 1),
           round(extract(epoch FROM n.duration) / 60, 1),
           at - n.started_at,
           n.backup_id, t.warning_after, t.critical_after
      FROM pairs p
      JOIN monitoring_threshold t ON t.backup_type = p.backup_type
      LEFT JOIN newest n ON n.database = p.database AND n.backup_type = p.backup_type
     ORDER BY p.database, p.backup_type
$$;

CREATE VIEW backup_monitoring AS SELECT * FROM backup_monitoring_at(now());
