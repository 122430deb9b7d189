-- Centre schema v7: releases of the desk app the operator uploaded (issue 25 §3). The
-- package is a kept file (`file_blob`, on disk by its SHA-256) that every desk may
-- fetch; the signature is the province's minisign signature, whose trusted comment is
-- the manifest. Never edit once shipped: add a new migration.
CREATE TABLE app_release (
    platform    TEXT NOT NULL CHECK (platform ~ '^[A-Za-z0-9_-]{1,40}$'),
    major       INTEGER NOT NULL CHECK (major >= 0),
    minor       INTEGER NOT NULL CHECK (minor >= 0),
    patch       INTEGER NOT NULL CHECK (patch >= 0),
    sha256      TEXT NOT NULL REFERENCES file_blob (sha256),
    size        BIGINT NOT NULL CHECK (size > 0),
    signature   TEXT NOT NULL CHECK (length(signature) <= 4096),
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, major, minor, patch)
);
CREATE INDEX app_release_sha ON app_release (sha256);
