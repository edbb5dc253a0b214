-- Long operations started through the REST API (docs/rest-api.md): their request as asked, state,
-- last progress, result and the four-eyes decision, so they outlive a restart of the server
-- (a row still running when a server starts is marked interrupted) and can be approved on any node.
-- V4 is the authentication part's (users, tokens, sessions).

CREATE SCHEMA IF NOT EXISTS cellar;

CREATE TABLE cellar.web_operation (
    id                  text        PRIMARY KEY,
    kind                text        NOT NULL,
    database_name       text,
    target              text        NOT NULL,
    request             jsonb       NOT NULL,
    requested_by        text        NOT NULL,
    requested_source    text        NOT NULL,
    requested_at        timestamptz NOT NULL,
    state               text        NOT NULL CHECK (state IN ('awaiting-approval', 'running', 'succeeded', 'failed', 'rejected',
                                                            'expired', 'interrupted')),
    phase               text        NOT NULL DEFAULT '',
    done                bigint      NOT NULL DEFAULT 0,
    total               bigint      NOT NULL DEFAULT 0,
    approval_expires_at timestamptz,
    -- who approved it (four-eyes) or rejected it: never requested_by
    approved_by         text        CHECK (approved_by IS NULL OR approved_by <> requested_by),
    decided_at          timestamptz,
    started_at          timestamptz,
    finished_at         timestamptz,
    result              jsonb,
    error               text
);

CREATE INDEX web_operation_recent ON cellar.web_operation (requested_at DESC);
CREATE INDEX web_operation_unfinished ON cellar.web_operation (state) WHERE state IN ('awaiting-approval', 'running');
