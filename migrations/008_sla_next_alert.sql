-- Up Migration

-- The sweep's index (migrations/006) kept a ticket in range from its first warning until the
-- stage was met, so a backlog of open tickets whose warnings had all gone out was read again on
-- every pass: 560-570 ms at 100,000 tickets, against the few the sweep is there for. The ticket now
-- carries which of its alerts are recorded, and the index is on its next alert still owed: the
-- sweep reads only the tickets that owe one overdue.

-- One bit per alert, by stage and kind.
CREATE FUNCTION sla_alert_bit(p_stage text, p_kind text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_stage WHEN 'assign' THEN 1 WHEN 'arrive' THEN 4 ELSE 16 END * CASE p_kind WHEN 'warning' THEN 1 ELSE 2 END;

ALTER TABLE tickets ADD COLUMN sla_recorded integer NOT NULL DEFAULT 0;

UPDATE tickets t SET sla_recorded = r.bits
FROM (SELECT ticket_id, bit_or(sla_alert_bit(stage, kind)) AS bits FROM sla_alerts GROUP BY ticket_id) r
WHERE t.id = r.ticket_id;

-- Every writer of sla_alerts (a timer, the sweep, an operation's record_owed_alerts, deliver_offer
-- through announce) holds the ticket FOR NO KEY UPDATE first, so marking the ticket here never
-- waits. Timers of the previous release took FOR SHARE: two of them on one ticket can deadlock
-- here until those workers are replaced (the job retries). Alerts are never deleted; a row removed
-- by hand would leave its bit set and the sweep would not owe it again.
CREATE FUNCTION mark_alerts_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets t SET sla_recorded = t.sla_recorded | r.bits
  FROM (SELECT ticket_id, bit_or(sla_alert_bit(stage, kind)) AS bits FROM recorded GROUP BY ticket_id) r
  WHERE t.id = r.ticket_id;
  RETURN NULL;
END $$;

CREATE TRIGGER sla_alerts_recorded AFTER INSERT ON sla_alerts REFERENCING NEW TABLE AS recorded
  FOR EACH STATEMENT EXECUTE FUNCTION mark_alerts_recorded();

-- The next alert a ticket owes: the earliest of its unmet stages' alerts not yet recorded. NULL
-- when it owes none.
CREATE FUNCTION sla_next_alert_at(p_created_at timestamptz, p_assign_due_at timestamptz, p_accepted_at timestamptz,
                                  p_arrive_due_at timestamptz, p_on_scene_at timestamptz,
                                  p_resolve_due_at timestamptz, p_resolved_at timestamptz, p_recorded integer)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN LEAST(
  CASE WHEN p_accepted_at IS NULL AND p_recorded & 1 = 0 THEN sla_alert_at('warning', p_created_at, p_assign_due_at) END,
  CASE WHEN p_accepted_at IS NULL AND p_recorded & 2 = 0 THEN p_assign_due_at END,
  CASE WHEN p_on_scene_at IS NULL AND p_recorded & 4 = 0 THEN sla_alert_at('warning', p_created_at, p_arrive_due_at) END,
  CASE WHEN p_on_scene_at IS NULL AND p_recorded & 8 = 0 THEN p_arrive_due_at END,
  CASE WHEN p_resolved_at IS NULL AND p_recorded & 16 = 0 THEN sla_alert_at('warning', p_created_at, p_resolve_due_at) END,
  CASE WHEN p_resolved_at IS NULL AND p_recorded & 32 = 0 THEN p_resolve_due_at END);

CREATE INDEX tickets_next_alert_idx
  ON tickets (sla_next_alert_at(created_at, assign_due_at, accepted_at, arrive_due_at, on_scene_at,
                                resolve_due_at, resolved_at, sla_recorded))
  WHERE status NOT IN ('cancelled','merged','resolved','closed');

-- sla_first_alert_at stays for the sweep of previous-release workers during an upgrade; drop it
-- once none is left.
DROP INDEX tickets_first_alert_idx;
