-- v12: the on-time rule is QĐ 766 indicator 2.1 (domain::on_time), which reads a
-- dossier's supplement requests: the second request's moment (late from then on), the
-- open request's moment (a dossier waiting for papers ends at it) and the seconds
-- waited for papers in requests that ended (not counted). The fold computes them; the
-- projection keeps them so Biểu 06 and the dashboard read one row per dossier.
-- Dossiers with a supplement request are re-projected by the program step.
-- Never edit once shipped.

ALTER TABLE dossier ADD COLUMN second_supplement_at TEXT;
ALTER TABLE dossier ADD COLUMN waiting_since TEXT;
ALTER TABLE dossier ADD COLUMN supplement_wait_secs INTEGER NOT NULL DEFAULT 0;
