-- Centre schema v9: the citizen's side (issue 22). Never edit once shipped: add a new
-- migration.

-- Centre-wide settings an operator sets (`motcua-centre public-url …`).
CREATE TABLE centre_setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- When each desk last completed a pull: the tracking page says honestly how fresh
-- the dossier's data is ("Cập nhật lần cuối"). The console's migration (0006) made the
-- same column for the fleet page; both branches met at the merge.
ALTER TABLE desk ADD COLUMN IF NOT EXISTS last_sync_at TIMESTAMPTZ;

-- The tracking page finds a dossier by its token: the receipt's, or the one a reprint
-- renewed it to. The page then folds the dossier and answers only for the token still
-- valid.
CREATE INDEX event_tracking_token ON event (((body::jsonb) #>> '{body,tracking}'))
    WHERE kind = 'received';
CREATE INDEX event_renewed_token ON event (((body::jsonb) #>> '{body,token}'))
    WHERE kind = 'tracking_renewed';
