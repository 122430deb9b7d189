-- v8: F3 on a million dossiers, one frame per keystroke, the people named first.
-- Never edit once shipped.

-- The applicant's folded name (words joined by one space, as `search::fold_words`):
-- the index answers "whose whole name is this", newest first, without sorting.
ALTER TABLE dossier ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
CREATE INDEX dossier_search_name ON dossier (search_name);

-- Both full-text indexes keep prefix indexes of 1 to 3 letters: the first letters of a
-- word are then read newest first and stop at the page size, instead of merging every
-- word that starts with them. Longer prefixes are expanded through `search_word`.
-- `detail = none`: the searches only AND, OR and NOT single words, so positions are
-- not needed and the indexes are far smaller.
DROP TABLE dossier_fts;
CREATE VIRTUAL TABLE dossier_fts USING fts5 (
    search_text,
    content = 'dossier',
    content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3',
    detail = none
);
-- Only the applicant's name: "these words are in the name" without reading addresses.
CREATE VIRTUAL TABLE dossier_name_fts USING fts5 (
    search_name,
    content = 'dossier',
    content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3',
    detail = none
);

-- Every word ever indexed (never pruned: a stale word only expands to nothing).
CREATE TABLE search_word (word TEXT PRIMARY KEY) WITHOUT ROWID;

-- The status line's unsent count in O(1). For each dossier with own events, the seq
-- of its latest one; a dossier is unsent while that seq is above the acknowledged
-- seq. Triggers keep the table and the count exact in the writing transaction,
-- whatever code path writes the outbox or moves the acknowledged seq.
CREATE TABLE outbox_dossier (
    dossier_code TEXT PRIMARY KEY,
    last_seq     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX outbox_dossier_seq ON outbox_dossier (last_seq);
CREATE TABLE unsent_count (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    dossiers INTEGER NOT NULL
);

INSERT INTO outbox_dossier (dossier_code, last_seq)
    SELECT e.dossier_code, max(o.seq) FROM outbox o JOIN dossier_event e ON e.id = o.event_id
    GROUP BY e.dossier_code;
INSERT INTO unsent_count (id, dossiers) VALUES (1, (
    SELECT count(*) FROM outbox_dossier
    WHERE last_seq > (SELECT acked_seq FROM sync_state WHERE id = 1)));

-- A new own event: its dossier becomes unsent unless it already was.
CREATE TRIGGER outbox_unsent_insert AFTER INSERT ON outbox BEGIN
    UPDATE unsent_count SET dossiers = dossiers + 1
    WHERE id = 1
      AND NEW.seq > (SELECT acked_seq FROM sync_state WHERE id = 1)
      AND coalesce((SELECT d.last_seq FROM outbox_dossier d JOIN dossier_event e
                    ON d.dossier_code = e.dossier_code WHERE e.id = NEW.event_id), 0)
          <= (SELECT acked_seq FROM sync_state WHERE id = 1);
    INSERT INTO outbox_dossier (dossier_code, last_seq)
        SELECT dossier_code, NEW.seq FROM dossier_event WHERE id = NEW.event_id
        ON CONFLICT (dossier_code) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq);
END;

-- The acknowledged seq moves (either way): the dossiers whose latest own seq lies
-- between the old and the new value change side.
CREATE TRIGGER sync_state_unsent_ack AFTER UPDATE OF acked_seq ON sync_state
WHEN NEW.acked_seq <> OLD.acked_seq BEGIN
    UPDATE unsent_count SET dossiers = dossiers
        - (SELECT count(*) FROM outbox_dossier
           WHERE last_seq > OLD.acked_seq AND last_seq <= NEW.acked_seq)
        + (SELECT count(*) FROM outbox_dossier
           WHERE last_seq > NEW.acked_seq AND last_seq <= OLD.acked_seq)
    WHERE id = 1;
END;

-- Renumbered or removed outbox rows (recovery): recount the dossiers concerned.
CREATE TRIGGER outbox_unsent_update AFTER UPDATE ON outbox BEGIN
    UPDATE unsent_count SET dossiers = dossiers - (
        SELECT count(*) FROM outbox_dossier
        WHERE dossier_code IN (SELECT dossier_code FROM dossier_event WHERE id IN (OLD.event_id, NEW.event_id))
          AND last_seq > (SELECT acked_seq FROM sync_state WHERE id = 1))
    WHERE id = 1;
    DELETE FROM outbox_dossier WHERE dossier_code IN (
        SELECT dossier_code FROM dossier_event WHERE id IN (OLD.event_id, NEW.event_id));
    INSERT INTO outbox_dossier (dossier_code, last_seq)
        SELECT e.dossier_code, max(o.seq) FROM outbox o JOIN dossier_event e ON e.id = o.event_id
        WHERE e.dossier_code IN (
            SELECT dossier_code FROM dossier_event WHERE id IN (OLD.event_id, NEW.event_id))
        GROUP BY e.dossier_code;
    UPDATE unsent_count SET dossiers = dossiers + (
        SELECT count(*) FROM outbox_dossier
        WHERE dossier_code IN (SELECT dossier_code FROM dossier_event WHERE id IN (OLD.event_id, NEW.event_id))
          AND last_seq > (SELECT acked_seq FROM sync_state WHERE id = 1))
    WHERE id = 1;
END;

CREATE TRIGGER outbox_unsent_delete AFTER DELETE ON outbox BEGIN
    UPDATE unsent_count SET dossiers = dossiers - (
        SELECT count(*) FROM outbox_dossier
        WHERE dossier_code IN (SELECT dossier_code FROM dossier_event WHERE id = OLD.event_id)
          AND last_seq > (SELECT acked_seq FROM sync_state WHERE id = 1))
    WHERE id = 1;
    DELETE FROM outbox_dossier WHERE dossier_code IN (
        SELECT dossier_code FROM dossier_event WHERE id = OLD.event_id);
    INSERT INTO outbox_dossier (dossier_code, last_seq)
        SELECT e.dossier_code, max(o.seq) FROM outbox o JOIN dossier_event e ON e.id = o.event_id
        WHERE e.dossier_code IN (SELECT dossier_code FROM dossier_event WHERE id = OLD.event_id)
        GROUP BY e.dossier_code;
    UPDATE unsent_count SET dossiers = dossiers + (
        SELECT count(*) FROM outbox_dossier
        WHERE dossier_code IN (SELECT dossier_code FROM dossier_event WHERE id = OLD.event_id)
          AND last_seq > (SELECT acked_seq FROM sync_state WHERE id = 1))
    WHERE id = 1;
END;
