-- The analytics change log without the per-workspace counter row.
--
-- Until now every write bumped analytics_state.seq, and the row lock it took
-- was held until commit: a workspace's writes committed one after another,
-- each waiting for its own WAL flush. Now change rows take their number from
-- a sequence, which no transaction waits for. Numbers from a sequence do not
-- commit in order, though: a reader that saw 6 must not take it as "all up
-- to 6" while the transaction holding 5 has yet to commit, or it would skip
-- 5 for ever. So a writing transaction registers before it takes its first
-- number: it holds a shared transaction-level advisory lock whose key is
-- the sequence's last value at that moment, below every number it will
-- take. A reader reads the sequence's last value L, then the smallest
-- registered key K (pg_locks), and counts as settled only numbers up to
-- min(L, K): a number at or below that was taken before L was read, by a
-- transaction that had registered before and no longer held its lock when
-- pg_locks was read, so it had ended, and any statement started afterwards
-- sees its rows. A workspace's counter is the largest settled number among
-- its changes (analytics_settled_seq); analytics_state.seq is no longer
-- kept (bulk-load reloads still set pruned_seq).
--
-- A reader must call analytics_settled_seq in READ COMMITTED: it reads the
-- change log in a statement of its own, whose snapshot is taken after
-- pg_locks was read. Dashboards lag by as long as an earlier writing
-- transaction stays open (milliseconds for requests).

-- +goose Up
CREATE SEQUENCE analytics_seq;
SELECT setval('analytics_seq', greatest(1,
    (SELECT max(seq) FROM analytics_state), (SELECT max(seq) FROM analytics_changes)));

-- A workspace's counter is now the largest number in its change log: one
-- entry at the old counter (naming nothing) keeps it where it was.
INSERT INTO analytics_changes (workspace_id, seq)
SELECT s.workspace_id, s.seq FROM analytics_state s
WHERE s.seq > coalesce((SELECT max(c.seq) FROM analytics_changes c WHERE c.workspace_id = s.workspace_id), 0);

-- +goose StatementBegin
-- analytics_next_seq returns the next change number, registering the
-- transaction first (once per transaction: the setting reverts at its end).
-- The key's top 16 bits (0x4154) tell these locks from any other advisory
-- lock.
CREATE FUNCTION analytics_next_seq() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k BIGINT;
BEGIN
    IF current_setting('attain.analytics_registered', true) IS DISTINCT FROM 'y' THEN
        SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO k FROM analytics_seq;
        PERFORM pg_advisory_xact_lock_shared((16724::bigint << 48) + k);
        PERFORM set_config('attain.analytics_registered', 'y', true);
    END IF;
    RETURN nextval('analytics_seq');
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- analytics_settled_seq returns a workspace's counter: the largest number
-- of its changes below which no change can commit any more.
CREATE FUNCTION analytics_settled_seq(ws BIGINT) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    l BIGINT;
    k BIGINT;
    s BIGINT;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO l FROM analytics_seq;
    SELECT min(((classid::bigint << 32) | objid::bigint) - (16724::bigint << 48)) INTO k FROM pg_locks
    WHERE locktype = 'advisory' AND objsubid = 1 AND classid::bigint >> 16 = 16724
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
    SELECT max(seq) INTO s FROM analytics_changes WHERE workspace_id = ws AND seq <= least(l, coalesce(k, l));
    RETURN coalesce(s, 0);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION analytics_log(ws BIGINT, deal BIGINT, owner BIGINT, t TIMESTAMPTZ) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, deal_id, owner_id, at) VALUES (ws, analytics_next_seq(), deal, owner, t);
END;
$$;
-- +goose StatementEnd

-- +goose Down
INSERT INTO analytics_state (workspace_id) SELECT DISTINCT workspace_id FROM analytics_changes ON CONFLICT (workspace_id) DO NOTHING;
UPDATE analytics_state s SET seq = greatest(s.seq,
    coalesce((SELECT max(c.seq) FROM analytics_changes c WHERE c.workspace_id = s.workspace_id), 0));
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION analytics_log(ws BIGINT, deal BIGINT, owner BIGINT, t TIMESTAMPTZ) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s BIGINT;
BEGIN
    INSERT INTO analytics_state AS st (workspace_id, seq) VALUES (ws, 1)
        ON CONFLICT (workspace_id) DO UPDATE SET seq = st.seq + 1
        RETURNING st.seq INTO s;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id, owner_id, at) VALUES (ws, s, deal, owner, t);
END;
$$;
-- +goose StatementEnd
DROP FUNCTION analytics_settled_seq;
DROP FUNCTION analytics_next_seq;
DROP SEQUENCE analytics_seq;
