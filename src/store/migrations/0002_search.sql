-- v2: full-text search over folded text (lowercase, no diacritics, đ→d), because
-- unicode61 alone does not fold đ. The folded text is filled in by the program
-- (store::search::search_text), not by SQL, so both paths fold the same way.

ALTER TABLE dossier ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE dossier_fts USING fts5 (
    search_text,
    content = 'dossier',
    content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2"
);

CREATE INDEX dossier_id_number ON dossier (id_number);
