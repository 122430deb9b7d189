-- The counter application: local clerk accounts and unsaved intake drafts.

-- Clerks sign in offline against the v1 `clerk` table (argon2 PHC string in
-- password_hash); the last sign-in is kept for the administrator's account list.
ALTER TABLE clerk ADD COLUMN last_login_at TEXT;

-- What a clerk had typed on a screen and not yet saved, offered back after a crash.
CREATE TABLE draft (
    clerk      TEXT NOT NULL,
    screen     TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (clerk, screen)
) STRICT;
