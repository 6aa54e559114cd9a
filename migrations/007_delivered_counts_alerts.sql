-- Up Migration

-- A receipt that records alerts its ticket owed (an offer whose assign warning came due before the
-- device acknowledged it) now says which, so the metrics count them, as every other operation's
-- alerts are counted. deliver_offer returns NULL when nothing was marked, else the alerts
-- announce() recorded. mark_delivered keeps its boolean result for processes of the previous
-- release still running during an upgrade: a prepared statement fails once its result type
-- changes. Drop it when none is left.
CREATE FUNCTION deliver_offer(p_assignment uuid, p_unit uuid) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_ticket uuid;
BEGIN
  PERFORM 1 FROM tickets WHERE id = (SELECT ticket_id FROM assignments WHERE id = p_assignment) FOR NO KEY UPDATE;
  UPDATE assignments SET delivered_at = now()
  WHERE id = p_assignment AND unit_id = p_unit AND delivered_at IS NULL AND status IN ('offered', 'accepted')
  RETURNING ticket_id INTO v_ticket;
  IF NOT FOUND THEN RETURN NULL; END IF;
  INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, details)
  VALUES (v_ticket, NULL, 'device', 'offer_delivered', jsonb_build_object('assignmentId', p_assignment, 'unitId', p_unit));
  RETURN announce(v_ticket, p_assignment, 'assignment.updated', '{}', true)->'alerts';
END $$;

CREATE OR REPLACE FUNCTION mark_delivered(p_assignment uuid, p_unit uuid) RETURNS boolean
LANGUAGE sql AS $$ SELECT deliver_offer(p_assignment, p_unit) IS NOT NULL $$;
