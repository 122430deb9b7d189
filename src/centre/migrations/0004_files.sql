-- Centre schema v4: digitised documents. The bytes are on disk, content-addressed
-- (`<files dir>/ab/<sha256>`); these rows say which files are kept and which units
-- may read each. Never edit once shipped: add a new migration.

-- A kept file: written (and fsynced) before its row, never changed after.
CREATE TABLE file_blob (
    sha256    TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size      BIGINT NOT NULL CHECK (size > 0),
    stored_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A unit that proved it holds the file by uploading its bytes (the first desk that
-- did); every desk of that unit may fetch it.
CREATE TABLE file_access (
    sha256     TEXT NOT NULL REFERENCES file_blob (sha256),
    unit_code  TEXT NOT NULL REFERENCES unit (code),
    desk_id    UUID NOT NULL REFERENCES desk (desk_id),
    granted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (sha256, unit_code)
);

-- Finds the unit's attach events naming a file (a desk asking for a file its unit's
-- upload has not brought yet is told "not yet", not "forbidden").
CREATE INDEX event_attached_sha ON event (unit_code, ((body::jsonb) #>> '{body,file,sha256}'))
    WHERE kind = 'document_attached';
