-- v9 (trust): what sync refused, so a clerk and an administrator can see it. Never
-- edit once shipped.

-- An item refused in either direction: one of this desk's own events the centre
-- quarantined ('push'), or an item of the centre's feed this desk would not apply
-- ('pull'). Nothing refused blocks the rest; this row is the trace. The reason is
-- Vietnamese and never quotes the refused text.
CREATE TABLE sync_refused (
    id           INTEGER PRIMARY KEY,
    direction    TEXT NOT NULL CHECK (direction IN ('push', 'pull')),
    seq          INTEGER NOT NULL,
    event_id     TEXT,
    dossier_code TEXT,
    reason       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    UNIQUE (direction, seq)
);
