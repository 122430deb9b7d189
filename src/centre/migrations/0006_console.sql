-- Centre schema v6: the operators' console (issue 21). Never edit once shipped: add a new
-- migration.

-- A person who signs in to the console. Only an argon2id hash of the password is kept.
-- A unit leader reads only their own unit; the province operator and the auditor see
-- every unit (the auditor changes nothing).
CREATE TABLE console_operator (
    username      TEXT PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{3,40}$'),
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('province', 'leader', 'auditor')),
    unit_code     TEXT REFERENCES unit (code),
    password_hash TEXT NOT NULL,
    -- Failed sign-ins in a row; at the limit the account waits until `locked_until`.
    failed_count  INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((role = 'leader') = (unit_code IS NOT NULL))
);

-- A signed-in browser. The cookie holds a random id; only its SHA-256 is kept here, so
-- a copy of the database signs no one in. The CSRF token goes in every form.
CREATE TABLE console_session (
    id_hash    TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES console_operator (username) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX console_session_expiry ON console_session (expires_at);

-- What a desk said of itself at the start of its last round (all optional on the wire:
-- a desk older than this field sends none), and when it last finished a round.
ALTER TABLE desk
    ADD COLUMN app_version   TEXT,
    ADD COLUMN unsent_count  BIGINT,
    ADD COLUMN clock_skew_ms BIGINT,
    ADD COLUMN reported_at   TIMESTAMPTZ,
    ADD COLUMN last_sync_at  TIMESTAMPTZ,
    -- Retired by an operator: its token no longer opens anything (the row stays, its
    -- events keep naming it).
    ADD COLUMN retired_at    TIMESTAMPTZ;

-- An operator looked at a refused event and wrote down what was done about it.
ALTER TABLE quarantine
    ADD COLUMN reviewed_at TIMESTAMPTZ,
    ADD COLUMN reviewed_by TEXT,
    ADD COLUMN review_note TEXT;
