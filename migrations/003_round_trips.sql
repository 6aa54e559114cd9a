-- Up Migration

-- Each statement is a round trip, and on the two-core bench a round trip's syscalls cost more
-- than most statements' work. These functions fold the hottest multi-statement steps into one.

-- A relay pass in one round trip: the watermark, then the events up to it. The relay's exclusive
-- lock is taken at session level and let go at once, so writers wait only for that instant; the
-- query that follows, a new statement of a VOLATILE function, has a snapshot taken after the wait
-- and so sees every event at or below the watermark. Called on the relay leader's own session:
-- if anything fails between lock and unlock, the relay ends that session, and the lock with it.
CREATE FUNCTION relay_batch(p_after bigint, p_limit integer) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  v_last bigint;
  v_called boolean;
  v_watermark bigint;
BEGIN
  PERFORM pg_advisory_lock(110110);
  SELECT last_value, is_called INTO v_last, v_called FROM events_seq_seq;
  PERFORM pg_advisory_unlock(110110);
  v_watermark := CASE WHEN v_called THEN v_last ELSE 0 END;
  RETURN json_build_object('watermark', v_watermark, 'events', (
    SELECT coalesce(json_agg(e ORDER BY e.seq), '[]'::json)
    FROM (SELECT seq, type, rooms, iso(at) AS at, data FROM events
          WHERE seq > p_after AND seq <= v_watermark ORDER BY seq LIMIT p_limit) e));
END $$;

-- The responder's device has the offer: stamped once, audited and announced, in one statement.
-- Returns false when the offer is not this unit's or was stamped already. The ticket is locked
-- before the assignment, in the order every other operation takes them, so a delivery racing an
-- accept waits instead of deadlocking.
CREATE FUNCTION mark_delivered(p_assignment uuid, p_unit uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_ticket uuid;
BEGIN
  PERFORM 1 FROM tickets WHERE id = (SELECT ticket_id FROM assignments WHERE id = p_assignment) FOR UPDATE;
  UPDATE assignments SET delivered_at = now()
  WHERE id = p_assignment AND unit_id = p_unit AND delivered_at IS NULL
  RETURNING ticket_id INTO v_ticket;
  IF NOT FOUND THEN RETURN false; END IF;
  INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, details)
  VALUES (v_ticket, NULL, 'device', 'offer_delivered', jsonb_build_object('assignmentId', p_assignment, 'unitId', p_unit));
  PERFORM announce(v_ticket, p_assignment, 'assignment.updated', '{}', true);
  RETURN true;
END $$;
