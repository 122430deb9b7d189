-- Centre schema v1. Never edit once shipped: add a new migration.

CREATE TABLE unit (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Single-use, expiring; only the hash of the code is kept.
CREATE TABLE enroll_code (
    code_hash  TEXT PRIMARY KEY,
    unit_code  TEXT NOT NULL REFERENCES unit (code),
    desk_index SMALLINT CHECK (desk_index BETWEEN 0 AND 9),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    used_by    UUID,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- An enrolled desk; its id is the one it chose at `motcua init`.
CREATE TABLE desk (
    desk_id     UUID PRIMARY KEY,
    unit_code   TEXT NOT NULL REFERENCES unit (code),
    desk_index  SMALLINT NOT NULL CHECK (desk_index BETWEEN 0 AND 9),
    token_hash  TEXT NOT NULL UNIQUE,
    acked_seq   BIGINT NOT NULL DEFAULT 0,
    enrolled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (unit_code, desk_index)
);

-- One sequence orders the whole feed: events and official updates.
CREATE SEQUENCE feed_seq;

-- Every event of every unit. Desk events carry (desk_id, desk_seq); centre events not.
CREATE TABLE event (
    id           UUID PRIMARY KEY,
    unit_code    TEXT NOT NULL REFERENCES unit (code),
    dossier_code TEXT NOT NULL,
    kind         TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    origin       TEXT NOT NULL,
    desk_id      UUID REFERENCES desk (desk_id),
    desk_seq     BIGINT,
    body         TEXT NOT NULL,
    feed_seq     BIGINT NOT NULL UNIQUE,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (desk_id, desk_seq)
);
CREATE INDEX event_unit_feed ON event (unit_code, feed_seq);
CREATE INDEX event_dossier ON event (dossier_code);
-- A dossier code is received once (design §3: unique in SQLite and in PostgreSQL).
CREATE UNIQUE INDEX event_one_receipt ON event (dossier_code) WHERE kind = 'received';

-- Catalogue and calendar updates for every desk.
CREATE TABLE official_update (
    feed_seq   BIGINT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('catalogue', 'calendar')),
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
