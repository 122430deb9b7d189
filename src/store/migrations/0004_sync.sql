-- v4: what enrollment with the centre gives the desk. Never edit once shipped.

-- The bearer token (the file is owner-only) and when the desk was enrolled.
ALTER TABLE sync_state ADD COLUMN desk_token TEXT;
ALTER TABLE sync_state ADD COLUMN enrolled_at TEXT;
