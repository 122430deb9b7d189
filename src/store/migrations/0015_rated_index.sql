-- Desk store v15: F5's ratings of a month (issue 22) read the `rated` events of the
-- period through this small partial index instead of scanning the whole event log
-- (388 ms of about 1 s on 100,000 dossiers, debug build).
CREATE INDEX dossier_event_rated_at ON dossier_event (at) WHERE kind = 'rated';
