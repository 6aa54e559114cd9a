-- Up Migration

-- The SLA sweep (every reconcile pass, 3 s by default) looked at every open ticket to find the
-- few whose alerts came due without their timer firing. With 100,000 open tickets that was a
-- parallel scan of 170 ms on three processes, a sixth of a two-core machine, and every timer due
-- meanwhile waited on it. An index on the earliest alert an open ticket can owe lets the sweep
-- read only the tickets past it.

-- When an alert of a stage falls due: a warning at 80 % of the stage's time, a breach at its end.
-- Counted in seconds since the epoch, as src/sla/timers.ts counts it: adding an interval to a
-- timestamptz depends on the session's time zone (a day across a DST change), so it cannot be
-- indexed, and this can. Every query that judges an alert due calls it: the timers', the sweep's
-- and record_owed_alerts; src/sla/timers.ts schedules the timers by the same rule, rounded up.
CREATE FUNCTION sla_alert_at(p_kind text, p_created_at timestamptz, p_due_at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_kind WHEN 'breach' THEN p_due_at
  ELSE to_timestamp((extract(epoch FROM p_created_at - 'epoch'::timestamptz)
                     + extract(epoch FROM p_due_at - p_created_at) * 0.8)::float8) END;

-- The first alert a ticket's unmet stages can owe: a warning comes before its breach, and the
-- warnings come in the order of their stages' due times. NULL once every stage is met.
CREATE FUNCTION sla_first_alert_at(p_created_at timestamptz, p_assign_due_at timestamptz, p_accepted_at timestamptz,
                                   p_arrive_due_at timestamptz, p_on_scene_at timestamptz,
                                   p_resolve_due_at timestamptz, p_resolved_at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN LEAST(CASE WHEN p_accepted_at IS NULL THEN sla_alert_at('warning', p_created_at, p_assign_due_at) END,
             CASE WHEN p_on_scene_at IS NULL THEN sla_alert_at('warning', p_created_at, p_arrive_due_at) END,
             CASE WHEN p_resolved_at IS NULL THEN sla_alert_at('warning', p_created_at, p_resolve_due_at) END);

CREATE INDEX tickets_first_alert_idx
  ON tickets (sla_first_alert_at(created_at, assign_due_at, accepted_at, arrive_due_at, on_scene_at, resolve_due_at, resolved_at))
  WHERE status NOT IN ('cancelled','merged','resolved','closed');

-- As in migrations/004, with the alert time from sla_alert_at.
CREATE OR REPLACE FUNCTION record_owed_alerts(p_tickets uuid[]) RETURNS jsonb
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
    CROSS JOIN LATERAL (SELECT sla_alert_at(k.kind, t.created_at, s.due_at) AS alert_at) a
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
