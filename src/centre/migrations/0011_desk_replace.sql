-- Centre schema v11: a desk replaced by a new machine (issue 21, `--replace-desk`).
-- Never edit once shipped: add a new migration.

-- Only a desk in service holds its unit's desk index: a retired desk keeps its row,
-- its events and its index for the record, while the machine that replaced it
-- numbers dossiers under the same index.
ALTER TABLE desk DROP CONSTRAINT desk_unit_code_desk_index_key;
CREATE UNIQUE INDEX desk_index_in_service ON desk (unit_code, desk_index)
    WHERE retired_at IS NULL;
