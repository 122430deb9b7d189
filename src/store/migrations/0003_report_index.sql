-- v3: a covering index for Biểu 06. A year's report reads every dossier of the year;
-- reading these columns from a compact index instead of the whole rows (which carry
-- the search text) keeps it fast on a million dossiers. It also serves every
-- received-date range query, so the plain received_at index goes.

CREATE INDEX dossier_report ON dossier (
    received_at, procedure_code, channel, status, due_at,
    result_ready_at, returned_at, closed_at
);
DROP INDEX dossier_received_at;
