-- Up Migration

-- Routing reads the queue best first and stops at the first ticket a free unit can take. Without
-- id in the index the ORDER BY's tie-break made PostgreSQL sort the whole queue on every pick,
-- so a backlog made each placement slower and the backlog longer.
DROP INDEX tickets_queue_idx;
CREATE INDEX tickets_queue_idx ON tickets (category, priority, created_at, id) WHERE status = 'queued';

-- An offer: the assignment, its unit turned busy, its ticket moved from p_from to offered, and the
-- audit entry. No row when the ticket is no longer in p_from: the caller aborts. Times are the
-- clock's, not the transaction's start (now()): a routing transaction may wait on the category
-- lock while the unit's previous assignment ends, and stamped with its start the offer would seem
-- to overlap that assignment.
CREATE FUNCTION make_offer(p_ticket uuid, p_unit uuid, p_from text, p_timeout_sec integer,
                           p_actor uuid, p_actor_role text, p_forced boolean)
RETURNS TABLE (assignment_id uuid, answer_due_at timestamptz, unit_version integer, route_version integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_at constant timestamptz := clock_timestamp();
  v_due constant timestamptz := v_at + make_interval(secs => p_timeout_sec);
  v_route integer;
  v_assignment uuid;
  v_unit_version integer;
BEGIN
  UPDATE tickets t SET status = 'offered', updated_at = now() WHERE t.id = p_ticket AND t.status = p_from
  RETURNING t.route_version INTO v_route;
  IF NOT FOUND THEN RETURN; END IF;
  INSERT INTO assignments AS a (ticket_id, unit_id, status, offered_at, answer_due_at, offered_by, forced)
  VALUES (p_ticket, p_unit, 'offered', v_at, v_due, p_actor, p_forced) RETURNING a.id INTO v_assignment;
  UPDATE units u SET status = 'busy', version = u.version + 1, updated_at = now() WHERE u.id = p_unit
  RETURNING u.version INTO v_unit_version;
  INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, details)
  VALUES (p_ticket, p_actor, p_actor_role, 'offered', jsonb_build_object(
    'from', p_from, 'to', 'offered', 'assignmentId', v_assignment, 'unitId', p_unit, 'forced', p_forced));
  RETURN QUERY SELECT v_assignment, v_due, v_unit_version, v_route;
END $$;

-- Whether a free unit of the ticket's category could take it: one that has not turned it down or
-- let its offer expire (routing never offers it to that unit again).
CREATE FUNCTION has_eligible_unit(p_ticket uuid, p_category text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM units u
                 WHERE u.type = p_category AND u.status = 'available'
                   AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = p_ticket AND a.unit_id = u.id
                                     AND a.status IN ('declined','expired')))
$$;

-- Serialises routing decisions within one category, across every worker process, to COMMIT.
CREATE FUNCTION lock_category_routing(p_category text) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtext('route:' || p_category))
$$;

-- Appends system events, in the array's order; the one way events are written, from TypeScript
-- (appendEventsAndCommit in src/events/log.ts) or from SQL. Each element is {type, rooms, data}.
-- The shared lock, taken before any seq is drawn and held to COMMIT, is what event_watermark()
-- waits on: the relay never publishes past an event that may still commit. Callers append as a
-- transaction's last step, after every row lock it takes: in the statement that commits, or in
-- the last statement before COMMIT. Holding the lock while waiting for a row would let a relay
-- queued behind it stall every writer until the deadlock detector reorders the queue (1 s).
-- Returns how many it appended.
CREATE FUNCTION append_events(p_events jsonb) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_count integer;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(110110);
  INSERT INTO events (type, rooms, data)
  SELECT e.event->>'type', ARRAY(SELECT jsonb_array_elements_text(e.event->'rooms')), e.event->'data'
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(event, n)
  ORDER BY e.n;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END $$;

-- What an operation touched, in the API's shapes: {ticket, assignment, units}. PL/pgSQL, as
-- ticket_json() is, so its query is planned once per session rather than on every call.
CREATE FUNCTION snapshot_of(p_ticket uuid, p_assignment uuid, p_unit_ids uuid[]) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN jsonb_build_object(
    'ticket', (SELECT ticket_json(t) FROM tickets t WHERE t.id = p_ticket),
    'assignment', (SELECT assignment_json(a) FROM assignments a WHERE a.id = p_assignment),
    'units', COALESCE((SELECT jsonb_agg(unit_json(u)) FROM units u WHERE u.id = ANY(p_unit_ids)), '[]'));
END $$;

-- The events a snapshot announces, in order (CONTRACT §6): the assignment's change to its unit and
-- the dispatchers, then the ticket to the dispatchers, then each unit touched.
CREATE FUNCTION events_of(p_snapshot jsonb, p_assignment_event text, p_ticket_event boolean) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_events jsonb := '[]';
  v_unit jsonb;
BEGIN
  IF p_assignment_event IS NOT NULL AND jsonb_typeof(p_snapshot->'assignment') = 'object' THEN
    v_events := v_events || jsonb_build_object('type', p_assignment_event,
      'rooms', jsonb_build_array('unit:' || (p_snapshot->'assignment'->>'unitId'), 'dispatch'),
      'data', jsonb_build_object('assignment', p_snapshot->'assignment', 'ticket', p_snapshot->'ticket'));
  END IF;
  IF p_ticket_event THEN
    v_events := v_events || jsonb_build_object('type', 'ticket.updated', 'rooms', jsonb_build_array('dispatch'),
      'data', p_snapshot->'ticket');
  END IF;
  FOR v_unit IN SELECT jsonb_array_elements(p_snapshot->'units') LOOP
    v_events := v_events || jsonb_build_object('type', 'unit.updated', 'rooms', jsonb_build_array('dispatch'), 'data', v_unit);
  END LOOP;
  RETURN v_events;
END $$;

-- Announces an operation from the rows as they now stand and returns what its events show.
-- Called as the transaction's last statement, after every row lock it takes (see append_events).
CREATE FUNCTION announce(p_ticket uuid, p_assignment uuid, p_assignment_event text, p_unit_ids uuid[],
                         p_ticket_event boolean) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_snapshot constant jsonb := snapshot_of(p_ticket, p_assignment, p_unit_ids);
BEGIN
  PERFORM append_events(events_of(v_snapshot, p_assignment_event, p_ticket_event));
  RETURN v_snapshot;
END $$;

-- The possible-duplicate search of ticket_json() bounds category, latitude, longitude and time.
-- With only (category, lat) indexed, PostgreSQL ANDed it with the created_at index, scanning every
-- ticket of the last two hours for each ticket shown: 0.5 ms at 1,500 tickets and growing.
DROP INDEX tickets_open_near_idx;
CREATE INDEX tickets_open_near_idx ON tickets (category, lat, lon, created_at)
  WHERE status NOT IN ('resolved','closed','cancelled','merged');

-- Routing, run where the rows are so that a pass costs one round trip: under the category's
-- routing lock, up to p_limit offers in the category, the best queued ticket first (P1, P2, P3,
-- then oldest), each to its nearest eligible free unit (units without a location last), each
-- announced like any operation (events_of), the events appended together at the end. p_timeout_sec
-- holds the answer time of P1, P2 and P3 offers. Returns each offer, for its answer timer.
--
-- A candidate row locked by someone else may no longer qualify once the lock is ours; PostgreSQL
-- then returns no row rather than the next one, so each pick looks again a few times.
CREATE FUNCTION route_category(p_category text, p_limit integer, p_timeout_sec integer[])
RETURNS TABLE (assignment_id uuid, answer_due_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_ticket uuid;
  v_priority text;
  v_unit uuid;
  v_offer record;
  v_events jsonb := '[]';
BEGIN
  PERFORM lock_category_routing(p_category);
  FOR placed IN 1..p_limit LOOP
    EXIT WHEN NOT EXISTS (SELECT 1 FROM units u WHERE u.type = p_category AND u.status = 'available');
    v_ticket := NULL;
    FOR attempt IN 1..3 LOOP
      SELECT t.id, t.priority INTO v_ticket, v_priority FROM tickets t
      WHERE t.status = 'queued' AND t.category = p_category AND has_eligible_unit(t.id, t.category)
      ORDER BY t.priority, t.created_at, t.id LIMIT 1
      FOR UPDATE OF t;
      EXIT WHEN v_ticket IS NOT NULL OR NOT EXISTS (
        SELECT 1 FROM tickets t
        WHERE t.status = 'queued' AND t.category = p_category AND has_eligible_unit(t.id, t.category));
    END LOOP;
    EXIT WHEN v_ticket IS NULL;
    v_unit := NULL;
    FOR attempt IN 1..3 LOOP
      -- has_eligible_unit's test, unit by unit. Written out: PostgreSQL does not inline a SQL
      -- function holding a subquery, and would run it as a function call for every free unit.
      SELECT u.id INTO v_unit FROM units u, tickets t
      WHERE t.id = v_ticket AND u.type = t.category AND u.status = 'available'
        AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = t.id AND a.unit_id = u.id
                          AND a.status IN ('declined','expired'))
      ORDER BY u.lat IS NULL, distance_m(t.lat, t.lon, u.lat, u.lon), u.id LIMIT 1
      FOR UPDATE OF u;
      EXIT WHEN v_unit IS NOT NULL OR NOT has_eligible_unit(v_ticket, p_category);
    END LOOP;
    EXIT WHEN v_unit IS NULL;
    SELECT * INTO v_offer FROM make_offer(v_ticket, v_unit, 'queued',
      p_timeout_sec[CASE v_priority WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 ELSE 3 END], NULL, 'system', false);
    EXIT WHEN NOT FOUND;
    v_events := v_events
      || events_of(snapshot_of(v_ticket, v_offer.assignment_id, ARRAY[v_unit]), 'assignment.offered', true);
    RETURN QUERY SELECT v_offer.assignment_id, v_offer.answer_due_at;
  END LOOP;
  IF jsonb_array_length(v_events) > 0 THEN PERFORM append_events(v_events); END IF;
END $$;

-- The day's ticket numbers. The first version entered an EXCEPTION block on every call, and with it
-- a subtransaction; now only the first call of a day, which creates the day's sequence, does.
CREATE OR REPLACE FUNCTION next_ticket_number(day date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  seq_name text := 'ticket_number_' || to_char(day, 'YYYYMMDD');
  n bigint;
BEGIN
  IF to_regclass(seq_name) IS NULL THEN
    BEGIN
      EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq_name);
    EXCEPTION WHEN unique_violation OR duplicate_table THEN
      NULL;
    END;
  END IF;
  n := nextval(seq_name);
  RETURN to_char(day, 'YYYYMMDD') || '-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END;
END $$;
