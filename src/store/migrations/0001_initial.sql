-- v1: the desk's local store. Never edit this file once shipped: add a new migration.

CREATE TABLE unit (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    authority     TEXT NOT NULL,
    place         TEXT NOT NULL,
    working_hours TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- This machine: its id is the origin of every event it writes.
CREATE TABLE desk (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    desk_id    TEXT NOT NULL,
    desk_index INTEGER NOT NULL CHECK (desk_index BETWEEN 0 AND 9)
);

CREATE TABLE clerk (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    password_hash TEXT,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'leader')),
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE procedure (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    field            TEXT NOT NULL,
    agency           TEXT NOT NULL,
    time_limit_value INTEGER,
    time_limit_unit  TEXT,
    time_limit_text  TEXT NOT NULL,
    fee_text         TEXT NOT NULL,
    fee_amount       INTEGER,
    documents        TEXT NOT NULL,   -- JSON array of RequiredDocument
    legal_basis      TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- Exceptions to Mon–Fri: days off on weekdays and make-up working Saturdays.
CREATE TABLE calendar_day (
    date   TEXT PRIMARY KEY,          -- YYYY-MM-DD
    kind   TEXT NOT NULL CHECK (kind IN ('statutory', 'bridge', 'compensatory', 'makeup')),
    name   TEXT NOT NULL,
    source TEXT NOT NULL
);

-- Projection of each dossier's events for lists and filters; the full state is the
-- fold of its events (rebuildable from dossier_event at any time).
CREATE TABLE dossier (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    procedure_code  TEXT NOT NULL,
    applicant_name  TEXT NOT NULL,
    id_number       TEXT NOT NULL,
    phone           TEXT,
    channel         INTEGER NOT NULL,
    status          INTEGER NOT NULL CHECK (status BETWEEN 2 AND 10),
    received_at     TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    result_ready_at TEXT,
    returned_at     TEXT,
    closed_at       TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX dossier_status_due ON dossier (status, due_at);
CREATE INDEX dossier_received_at ON dossier (received_at);

-- The log: every event this desk knows, its own and those pulled from the centre.
CREATE TABLE dossier_event (
    id           TEXT PRIMARY KEY,    -- UUIDv7
    dossier_code TEXT NOT NULL,
    kind         TEXT NOT NULL,
    at           TEXT NOT NULL,
    origin       TEXT NOT NULL,
    event        TEXT NOT NULL,       -- JSON of the whole Event
    server_seq   INTEGER UNIQUE,      -- the centre's order, once known
    recorded_at  TEXT NOT NULL
);
CREATE INDEX dossier_event_dossier ON dossier_event (dossier_code);

-- This desk's own events in a contiguous sequence: what sync pushes.
CREATE TABLE outbox (
    seq      INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE REFERENCES dossier_event (id)
);

CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    centre_url      TEXT,
    acked_seq       INTEGER NOT NULL DEFAULT 0,
    pull_cursor     TEXT,
    last_push_at    TEXT,
    last_pull_at    TEXT,
    last_error      TEXT,
    clock_offset_ms INTEGER
);
INSERT INTO sync_state (id) VALUES (1);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
