-- v13: cross-commune dossiers, "phi địa giới" (issue 23). A dossier received at one
-- unit for another carries the deciding unit; Biểu 06 counts it once, at that unit,
-- and the receiving unit shows it as "nhận hộ". NULL for an ordinary dossier (every
-- dossier before this version). Never edit once shipped.

ALTER TABLE dossier ADD COLUMN deciding_unit TEXT;
