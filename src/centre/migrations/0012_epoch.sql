-- Centre schema v12: the centre's restored-backup guard (issue 21). Never edit once
-- shipped: add a new migration.
--
-- A database restored from a backup older than what the desks hold (a dump, a
-- point-in-time recovery, a failover to a replica that lagged) hands out again the
-- feed numbers it lost, to other events; a desk whose cursor passed them would never
-- pull those. So the centre knows which database it is running on: `centre_identity()`
-- names the cluster, its timeline (a PITR or a promotion starts a new one) and the
-- database's oid (a restored dump is a new database). When a new connection finds the
-- identity changed, `centre_check_epoch()` starts a new epoch and keeps each unit's
-- feed head as it was restored (`unit_feed.epoch_head`): numbers up to it are the
-- ones every desk may have seen; numbers after it may be new. A desk that pulls with
-- an older epoch is served again from there (`centre/epoch.rs`).

CREATE TABLE centre_epoch (
    only_row   BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    epoch      UUID NOT NULL,
    identity   TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE unit_feed ADD COLUMN epoch_head BIGINT;

CREATE FUNCTION centre_identity() RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
    cluster  TEXT := '?';
    timeline TEXT := '?';
BEGIN
    -- The control functions may be refused to a role that is not a superuser: the
    -- database's oid still tells a restored dump.
    BEGIN
        SELECT system_identifier::text INTO cluster FROM pg_control_system();
        SELECT timeline_id::text INTO timeline FROM pg_control_checkpoint();
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
    RETURN cluster || ':' || timeline || ':' ||
        (SELECT oid::text FROM pg_database WHERE datname = current_database());
END $$;

-- Starts a new epoch at once. The operator may call it by hand after a restore the
-- identity cannot see (a role refused the control functions, restored in place).
CREATE FUNCTION centre_start_epoch(now_identity TEXT DEFAULT centre_identity())
RETURNS UUID LANGUAGE plpgsql AS $$
DECLARE
    kept centre_epoch;
BEGIN
    PERFORM 1 FROM centre_epoch FOR UPDATE;
    -- Locks every unit's feed row: waits for pushes in flight, and no number is
    -- taken between reading the heads and starting the epoch. The lowest head of every
    -- restore so far: a desk two epochs behind is then served from far enough back
    -- (a desk of a later epoch pulls a little again, which changes nothing).
    UPDATE unit_feed SET epoch_head = LEAST(coalesce(epoch_head, next_seq - 1), next_seq - 1);
    UPDATE centre_epoch
        SET epoch = gen_random_uuid(), identity = now_identity, started_at = now()
        RETURNING * INTO kept;
    INSERT INTO operator_audit (operator, action, detail)
        VALUES ('motcua-centre', 'epoch',
                'Cơ sở dữ liệu đã được khôi phục hoặc chuyển sang máy khác; kỷ nguyên mới '
                || kept.epoch || ': các quầy lấy lại dữ liệu từ điểm đã khôi phục');
    RETURN kept.epoch;
END $$;

CREATE FUNCTION centre_check_epoch() RETURNS UUID LANGUAGE plpgsql AS $$
DECLARE
    now_identity TEXT := centre_identity();
    kept centre_epoch;
BEGIN
    SELECT * INTO kept FROM centre_epoch;
    IF kept.identity = now_identity THEN
        RETURN kept.epoch;
    END IF;
    SELECT * INTO kept FROM centre_epoch FOR UPDATE;
    IF kept.identity = now_identity THEN
        RETURN kept.epoch; -- another connection started the epoch meanwhile
    END IF;
    RETURN centre_start_epoch(now_identity);
END $$;

INSERT INTO centre_epoch (epoch, identity) VALUES (gen_random_uuid(), centre_identity());
