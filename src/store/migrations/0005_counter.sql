-- The counter application: local clerk accounts and unsaved intake drafts.

-- Clerks sign in offline; only an argon2 PHC string of the password is kept.
CREATE TABLE clerk (
    username      TEXT PRIMARY KEY,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    last_login_at TEXT
) STRICT;

-- What a clerk had typed on a screen and not yet saved, offered back after a crash.
CREATE TABLE draft (
    clerk      TEXT NOT NULL,
    screen     TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (clerk, screen)
) STRICT;
