-- Alert incidents and the outbox of their notifications (docs/alerts.md).
-- Several cellar server processes may evaluate and deliver at once: the partial unique index lets
-- only one of them open an incident for a key, and deliveries lock outbox rows (FOR UPDATE SKIP LOCKED).

CREATE SCHEMA IF NOT EXISTS cellar;

CREATE TABLE cellar.alert_incident (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_key         text        NOT NULL,
    condition            text        NOT NULL,
    severity             text        NOT NULL CHECK (severity IN ('warning', 'critical')),
    subject              text,
    summary              text        NOT NULL,
    details              text        NOT NULL,
    action               text        NOT NULL,
    problem_since        timestamptz,
    opened_at            timestamptz NOT NULL,
    last_notified_at     timestamptz NOT NULL,
    reminders            integer     NOT NULL DEFAULT 0,
    resolved_at          timestamptz,
    -- set by the dashboard: someone is on it (reminders still go out until it is resolved)
    acknowledged_at      timestamptz,
    acknowledged_by      text,
    acknowledgement_note text
);

CREATE UNIQUE INDEX alert_incident_one_open_per_key ON cellar.alert_incident (incident_key) WHERE resolved_at IS NULL;
CREATE INDEX alert_incident_by_opened ON cellar.alert_incident (opened_at);

CREATE TABLE cellar.alert_notification (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id     bigint      NOT NULL REFERENCES cellar.alert_incident (id),
    channel         text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('opened', 'reminder', 'resolved')),
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    delivered_at    timestamptz,
    last_error      text
);

-- the head of each channel's queue: the oldest undelivered row
CREATE INDEX alert_notification_undelivered ON cellar.alert_notification (channel, id) WHERE delivered_at IS NULL;
CREATE INDEX alert_notification_by_incident ON cellar.alert_notification (incident_id);
