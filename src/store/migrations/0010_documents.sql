-- v10 (documents): digitised documents. Never edit once shipped.

-- The files each dossier lists now (attached and not detached): a projection of the
-- fold, rewritten with the dossier's row. The log stays the truth.
CREATE TABLE dossier_file (
    event_id     TEXT PRIMARY KEY,   -- the attaching event
    dossier_code TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    item         TEXT NOT NULL,
    name         TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size         INTEGER NOT NULL,
    pages        INTEGER NOT NULL,
    origin       TEXT NOT NULL,
    attached_at  TEXT NOT NULL
);
CREATE INDEX dossier_file_dossier ON dossier_file (dossier_code);
CREATE INDEX dossier_file_sha ON dossier_file (sha256);

-- Every file any attach event of the log names (detached or not), to answer "what is
-- this hash" without reading every event.
CREATE INDEX dossier_event_file ON dossier_event (json_extract(event, '$.body.file.sha256'))
    WHERE kind = 'document_attached';

-- Files the centre has confirmed it holds (upload finished, or fetched from it).
CREATE TABLE file_upload (
    sha256      TEXT PRIMARY KEY,
    uploaded_at TEXT NOT NULL
);
