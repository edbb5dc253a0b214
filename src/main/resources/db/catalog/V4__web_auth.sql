-- Users, second factors, API tokens and sessions of the dashboard and the REST API (docs/web-security.md).
-- Nothing secret is stored in a form that lets someone who reads the catalog log in: passwords as
-- Argon2id hashes (their parameters inside the hash, so they can be raised later), tokens, session ids
-- and recovery codes as SHA-256 (they are long random strings: a slow hash adds nothing).
-- The TOTP secret must be readable to check a code; whoever reads the catalog can read it.

CREATE SCHEMA IF NOT EXISTS cellar;

CREATE TABLE cellar.web_user (
    name                 text PRIMARY KEY,
    role                 text        NOT NULL CHECK (role IN ('admin', 'dba', 'operator', 'auditor')),
    -- $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash> (base64 without padding); null: no password login
    password_hash        text,
    totp_secret          text,
    -- an enrolment given but not yet confirmed with a code; replaces totp_secret on confirmation
    totp_pending_secret  text,
    totp_enrolled        boolean     NOT NULL DEFAULT false,
    -- the last 30-second step whose code was accepted: a code is never accepted twice
    totp_last_step       bigint,
    failed_attempts      integer     NOT NULL DEFAULT 0,
    locked_until         timestamptz,
    created_at           timestamptz NOT NULL,
    disabled             boolean     NOT NULL DEFAULT false
);

CREATE TABLE cellar.web_recovery_code (
    user_name  text        NOT NULL REFERENCES cellar.web_user (name) ON DELETE CASCADE,
    code_hash  text        NOT NULL,
    created_at timestamptz NOT NULL,
    used_at    timestamptz,
    -- codes of an enrolment not yet confirmed: they become usable with it
    pending    boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (user_name, code_hash)
);

CREATE TABLE cellar.web_api_token (
    id           text PRIMARY KEY,
    user_name    text        NOT NULL REFERENCES cellar.web_user (name) ON DELETE CASCADE,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('admin', 'dba', 'operator', 'auditor')),
    token_hash   text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

-- user_name is no foreign key: a session of an OIDC login may belong to a user the catalog does not list
CREATE TABLE cellar.web_session (
    id_hash              text PRIMARY KEY,
    user_name            text        NOT NULL,
    role                 text        NOT NULL CHECK (role IN ('admin', 'dba', 'operator', 'auditor')),
    via                  text        NOT NULL CHECK (via IN ('password', 'oidc')),
    created_at           timestamptz NOT NULL,
    last_seen_at         timestamptz NOT NULL,
    expires_at           timestamptz NOT NULL,
    second_factor_at     timestamptz,
    second_factor_pending boolean    NOT NULL DEFAULT false,
    csrf_token           text        NOT NULL
);

CREATE INDEX web_session_by_user ON cellar.web_session (user_name);
CREATE INDEX web_session_by_expiry ON cellar.web_session (expires_at);
