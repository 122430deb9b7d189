-- Centre schema v5: one feed per unit (issue 23). Never edit once shipped: add a new
-- migration.
--
-- Until v4 every push took one province-wide advisory lock and drew from one global
-- `feed_seq`. Now each unit numbers its own feed: `unit_feed.next_seq` is the next
-- number of the unit, taken by the push's transaction with a row lock that only
-- pushes of the same unit wait for (see `centre/feed.rs` for why a cursor never skips
-- a number that commits late). The column `event.feed_seq` keeps its name and now
-- means "position in its unit's feed"; it is unique per unit only.
--
-- Compatibility: a desk's cursor is the last feed number it pulled. The old numbers of
-- every event and official update are kept as their positions in each unit's feed, and
-- every unit's new numbers start above the highest old number, so an old cursor is
-- already a valid cursor of the desk's unit: nothing is pulled twice or skipped.

CREATE TABLE unit_feed (
    unit_code TEXT PRIMARY KEY REFERENCES unit (code),
    next_seq  BIGINT NOT NULL CHECK (next_seq > 0)
);

-- The event table partitioned by HASH of the unit: a fixed set of 32 partitions
-- created here, so adding a commune needs no DDL (LIST would need one partition per
-- unit created at `unit add`, under a lock on the whole table), and 170 communes
-- spread about 5 to a partition. A query that names its unit is pruned to one
-- partition. Citus distributes the same table by hash of the same column.
CREATE TABLE event_by_unit (
    id           UUID NOT NULL,
    unit_code    TEXT NOT NULL REFERENCES unit (code),
    dossier_code TEXT NOT NULL,
    kind         TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    origin       TEXT NOT NULL,
    desk_id      UUID REFERENCES desk (desk_id),
    desk_seq     BIGINT,
    body         TEXT NOT NULL,
    feed_seq     BIGINT NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
) PARTITION BY HASH (unit_code);

DO $$
BEGIN
    FOR i IN 0..31 LOOP
        EXECUTE format(
            'CREATE TABLE event_p%s PARTITION OF event_by_unit
                 FOR VALUES WITH (MODULUS 32, REMAINDER %s)',
            lpad(i::text, 2, '0'), i);
    END LOOP;
END
$$;

INSERT INTO event_by_unit (id, unit_code, dossier_code, kind, at, origin, desk_id,
                           desk_seq, body, feed_seq, received_at)
    SELECT id, unit_code, dossier_code, kind, at, origin, desk_id, desk_seq, body,
           feed_seq, received_at
    FROM event;

DROP TABLE event;
ALTER TABLE event_by_unit RENAME TO event;

-- Every unique key carries the unit (a partitioned table's keys must hold the
-- partition column; Citus asks the same of the distribution column). An event id and a
-- desk+seq were unique province-wide; a desk writes only into its own unit, so per
-- unit is the same guarantee for what desks send.
ALTER TABLE event ADD CONSTRAINT event_pkey PRIMARY KEY (unit_code, id);
ALTER TABLE event ADD CONSTRAINT event_unit_feed_seq UNIQUE (unit_code, feed_seq);
ALTER TABLE event ADD CONSTRAINT event_desk_seq UNIQUE (unit_code, desk_id, desk_seq);
-- The code names its unit, so the dossier's events are in one partition.
CREATE INDEX event_dossier ON event (dossier_code);
-- A dossier code is received once; the code holds its unit, so per unit is the same.
CREATE UNIQUE INDEX event_one_receipt ON event (unit_code, dossier_code)
    WHERE kind = 'received';
CREATE INDEX event_attached_sha ON event (unit_code, ((body::jsonb) #>> '{body,file,sha256}'))
    WHERE kind = 'document_attached';

-- Catalogue and calendar updates go to every unit: each is numbered in every unit's
-- feed (one row per unit), so a desk pulls it exactly once with its one cursor.
-- `official_update.feed_seq` stays the update's id (drawn from the old sequence).
CREATE TABLE unit_official (
    unit_code TEXT NOT NULL REFERENCES unit (code),
    feed_seq  BIGINT NOT NULL,
    update_id BIGINT NOT NULL REFERENCES official_update (feed_seq),
    PRIMARY KEY (unit_code, feed_seq),
    UNIQUE (unit_code, update_id)
);

-- Existing updates keep their old number in every unit.
INSERT INTO unit_official (unit_code, feed_seq, update_id)
    SELECT u.code, o.feed_seq, o.feed_seq FROM unit u CROSS JOIN official_update o;

-- Every unit's feed goes on above every number handed out so far.
INSERT INTO unit_feed (unit_code, next_seq)
    SELECT code, greatest(
        (SELECT coalesce(max(feed_seq), 0) FROM event),
        (SELECT coalesce(max(feed_seq), 0) FROM official_update),
        (SELECT last_value FROM feed_seq)) + 1
    FROM unit;

-- A new unit gets its feed row and, at the start of its feed, every update so far.
CREATE FUNCTION unit_feed_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n BIGINT;
BEGIN
    INSERT INTO unit_official (unit_code, feed_seq, update_id)
        SELECT NEW.code, row_number() OVER (ORDER BY o.feed_seq), o.feed_seq
        FROM official_update o;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO unit_feed (unit_code, next_seq) VALUES (NEW.code, n + 1);
    RETURN NEW;
END
$$;
CREATE TRIGGER unit_feed_open AFTER INSERT ON unit
    FOR EACH ROW EXECUTE FUNCTION unit_feed_open();

-- A new update takes the next number of every unit's feed, under each unit's row lock
-- (taken in unit order, so two publications never deadlock; a push holds one row).
CREATE FUNCTION official_update_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH taken AS (
        UPDATE unit_feed f SET next_seq = f.next_seq + 1
        FROM (SELECT unit_code FROM unit_feed ORDER BY unit_code FOR UPDATE) locked
        WHERE f.unit_code = locked.unit_code
        RETURNING f.unit_code, f.next_seq - 1 AS seq
    )
    INSERT INTO unit_official (unit_code, feed_seq, update_id)
        SELECT unit_code, seq, NEW.feed_seq FROM taken;
    RETURN NEW;
END
$$;
CREATE TRIGGER official_update_fan_out AFTER INSERT ON official_update
    FOR EACH ROW EXECUTE FUNCTION official_update_fan_out();
