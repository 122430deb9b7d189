-- v6: the counter's dossier list (F3) filters by status or procedure and shows the
-- newest first. An index on one column also holds the rowid, so these serve
-- "WHERE status = ? ORDER BY id DESC" (and the same for the procedure) without
-- scanning or sorting a million rows. Never edit once shipped.

CREATE INDEX dossier_status_id ON dossier (status);
CREATE INDEX dossier_procedure_id ON dossier (procedure_code);
