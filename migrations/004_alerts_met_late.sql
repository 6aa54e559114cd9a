-- Up Migration

-- A stage met after its alert came due still owes that alert. Timers and the sweep look only at
-- the unmet stages of open tickets, so a unit that accepts a minute after the assign breach, while
-- the worker was down or behind, wiped the breach off the supervisors' board. Every operation on a
-- ticket now records, as it announces itself, the alerts the ticket owed up to that moment: those
-- of a stage still unmet, or met by this very transaction, whose time came before the stage was
-- met and before the ticket ended. A stage met earlier is settled: re-met after a reassignment, or
-- re-timed by a correction, it owes nothing (as the timers see it). Returns their events, warnings
-- first, each kind in stage order (as src/sla/service.ts emits them), and what the metrics count.
CREATE FUNCTION record_owed_alerts(p_tickets uuid[]) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_result jsonb;
BEGIN
  WITH owed AS (
    SELECT t.id, s.stage, k.kind, s.due_at, t.category, t.priority
    FROM tickets t
    CROSS JOIN LATERAL (VALUES ('assign', t.assign_due_at, t.accepted_at),
                               ('arrive', t.arrive_due_at, t.on_scene_at),
                               ('resolve', t.resolve_due_at, t.resolved_at)) AS s(stage, due_at, met_at)
    CROSS JOIN (VALUES ('warning'), ('breach')) AS k(kind)
    CROSS JOIN LATERAL (SELECT CASE k.kind WHEN 'breach' THEN s.due_at
                               ELSE t.created_at + (s.due_at - t.created_at) * 0.8 END AS alert_at) a
    WHERE t.id = ANY(p_tickets) AND (s.met_at IS NULL OR s.met_at = now()) AND a.alert_at <= now()
      AND a.alert_at < coalesce(s.met_at, t.ended_at, 'infinity')),
  recorded AS (
    INSERT INTO sla_alerts (ticket_id, stage, kind, due_at, category, priority)
    SELECT id, stage, kind, due_at, category, priority FROM owed
    ON CONFLICT DO NOTHING
    RETURNING ticket_id, stage, kind, due_at, at, category)
  SELECT jsonb_build_object(
    'events', coalesce(jsonb_agg(jsonb_build_object(
      'type', CASE r.kind WHEN 'warning' THEN 'sla.warning' ELSE 'sla.breached' END,
      'rooms', jsonb_build_array('dispatch', 'supervisors'),
      'data', jsonb_build_object('ticketId', r.ticket_id, 'number', t.number, 'stage', r.stage, 'dueAt', iso(r.due_at))
              || CASE r.kind WHEN 'breach' THEN jsonb_build_object('breachedAt', iso(r.at)) ELSE '{}' END)
      ORDER BY r.kind = 'breach', array_position(ARRAY['assign','arrive','resolve'], r.stage), r.ticket_id), '[]'),
    'counted', coalesce(jsonb_agg(jsonb_build_object('kind', r.kind, 'stage', r.stage, 'category', r.category)), '[]'))
  INTO v_result
  FROM recorded r JOIN tickets t ON t.id = r.ticket_id;
  RETURN v_result;
END $$;

-- announce() as before, with the alerts its ticket owed appended first (they came due before the
-- operation) and listed under 'alerts' in what it returns, for the metrics. p_also names other
-- tickets the operation holds and announces later (a merge's target): their alerts are recorded
-- here, while no event of the transaction is appended yet, because recording may wait on a timer
-- inserting the same alert, and append_events must come after every wait (migrations/002).
DROP FUNCTION announce(uuid, uuid, text, uuid[], boolean);
CREATE FUNCTION announce(p_ticket uuid, p_assignment uuid, p_assignment_event text, p_unit_ids uuid[],
                         p_ticket_event boolean, p_also uuid[] DEFAULT '{}') RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_alerts constant jsonb := record_owed_alerts(p_ticket || p_also);
  v_snapshot constant jsonb := snapshot_of(p_ticket, p_assignment, p_unit_ids);
BEGIN
  PERFORM append_events((v_alerts->'events') || events_of(v_snapshot, p_assignment_event, p_ticket_event));
  RETURN v_snapshot || jsonb_build_object('alerts', v_alerts->'counted');
END $$;
