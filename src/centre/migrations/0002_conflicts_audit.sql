-- Centre schema v2: refused desk pushes and the operators' audit log. Never edit once
-- shipped: add a new migration.

-- A desk sent an event that contradicts what the centre holds (a seq, event id or
-- dossier receipt already taken by different data). The push was refused (409) and
-- nothing of it was written; this row is what an operator looks at. No personal data:
-- ids, numbers and the dossier code only.
CREATE TABLE desk_conflicts (
    id            BIGSERIAL PRIMARY KEY,
    desk_id       UUID NOT NULL REFERENCES desk (desk_id),
    unit_code     TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('seq', 'event_id', 'receipt')),
    seq           BIGINT NOT NULL,
    sent_event    UUID NOT NULL,
    held_event    UUID,
    dossier_code  TEXT NOT NULL,
    detected_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX desk_conflicts_detected ON desk_conflicts (detected_at);

-- Every operator command: who ran it, when, and what (never an applicant's data).
CREATE TABLE operator_audit (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    operator  TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX operator_audit_at ON operator_audit (at);
