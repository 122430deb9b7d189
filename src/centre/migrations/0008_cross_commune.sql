-- Centre schema v8: cross-commune dossiers, "phi địa giới" (issue 23). Never edit once
-- shipped: add a new migration.
--
-- A citizen may file at unit A a matter unit B decides. The dossier's code stays in A's
-- range (final offline); its receipt names B. Who writes when is `domain::handover`:
-- A until its `transferred` (the handover), then B; A may still record the return.
--
-- Every event stays in the partition of the unit whose desk (or operator) wrote it,
-- so a desk's own series, its ack and its restore read one partition as before. The
-- other unit of the dossier reads it through `shared_feed`: the event numbered in that
-- unit's feed, under that unit's row lock, so the feed's ordering argument
-- (`centre/feed.rs`) holds unchanged.

-- One row per cross-commune dossier, written with its receipt; never updated.
CREATE TABLE cross_dossier (
    dossier_code   TEXT PRIMARY KEY,
    receiving_unit TEXT NOT NULL REFERENCES unit (code),
    deciding_unit  TEXT NOT NULL REFERENCES unit (code),
    CHECK (receiving_unit <> deciding_unit)
);
CREATE INDEX cross_dossier_deciding ON cross_dossier (deciding_unit);

-- An event of a cross-commune dossier as the other unit's feed numbers it. The body is
-- copied (events are immutable), so a unit's pull still reads nothing of another
-- unit's partition.
CREATE TABLE shared_feed (
    unit_code    TEXT NOT NULL REFERENCES unit (code),
    feed_seq     BIGINT NOT NULL,
    event_id     UUID NOT NULL,
    dossier_code TEXT NOT NULL REFERENCES cross_dossier (dossier_code),
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (unit_code, feed_seq),
    UNIQUE (unit_code, event_id)
);

-- Procedures the province lets any commune receive (its published list, imported by
-- `motcua-centre catalogue import-phi-dia-gioi`).
CREATE TABLE cross_procedure (
    procedure_code TEXT PRIMARY KEY,
    decision       TEXT NOT NULL,
    imported_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
