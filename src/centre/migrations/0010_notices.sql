-- Centre schema v10: the notice outbox (issue 22 §4). Never edit once shipped: add a
-- new migration.

-- One row per (event, kind of notice): the primary key is what makes a notice go out
-- once, whatever retries, restarts or re-pushes happen. Rows are written in the very
-- transaction that stores the event. The phone is cleared once the notice is sent:
-- the consent lives on in the Received event, not in a second copy.
CREATE TABLE notice_outbox (
    event_id     UUID        NOT NULL,
    kind         TEXT        NOT NULL,
    dossier_code TEXT        NOT NULL,
    phone        TEXT,
    text         TEXT        NOT NULL,
    data         JSONB       NOT NULL,
    state        TEXT        NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sent', 'failed')),
    attempts     INTEGER     NOT NULL DEFAULT 0,
    next_at      TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at      TIMESTAMPTZ,
    last_error   TEXT,
    PRIMARY KEY (event_id, kind)
);

CREATE INDEX notice_outbox_due ON notice_outbox (next_at) WHERE state = 'pending';
