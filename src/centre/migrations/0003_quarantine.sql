-- Centre schema v3: events a desk sent that the centre would not take, and codes that
-- may replace an enrolled desk. Never edit once shipped: add a new migration.

-- A desk's event that failed the trust checks (another desk's receipt number, a dossier
-- the centre does not hold, a time out of bounds, text intake would refuse). It is not
-- in the feed; its seq counts as acknowledged so the desk's other events go on, and the
-- desk is told the reason. This row is what an operator looks at.
CREATE TABLE quarantine (
    id             BIGSERIAL PRIMARY KEY,
    desk_id        UUID NOT NULL REFERENCES desk (desk_id),
    unit_code      TEXT NOT NULL,
    desk_seq       BIGINT NOT NULL,
    event_id       UUID NOT NULL,
    dossier_code   TEXT NOT NULL,
    kind           TEXT NOT NULL,
    reason         TEXT NOT NULL,
    body           TEXT NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (desk_id, desk_seq)
);
CREATE INDEX quarantine_at ON quarantine (quarantined_at);

-- A code an operator issued to replace an enrolled desk (`enroll-code --replace-desk
-- N`): the only kind that may enroll a desk id that already exists.
ALTER TABLE enroll_code ADD COLUMN replaces_desk BOOLEAN NOT NULL DEFAULT false;
