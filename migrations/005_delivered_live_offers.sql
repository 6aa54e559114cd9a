-- Up Migration

-- A device's late acknowledgement of an offer that has since expired, been declined or been
-- withdrawn no longer shows that dead offer to dispatchers as delivered. The ticket is locked
-- FOR NO KEY UPDATE, as every operation now locks it (src/dispatch/sql.ts lockTicket).
CREATE OR REPLACE FUNCTION mark_delivered(p_assignment uuid, p_unit uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_ticket uuid;
BEGIN
  PERFORM 1 FROM tickets WHERE id = (SELECT ticket_id FROM assignments WHERE id = p_assignment) FOR NO KEY UPDATE;
  UPDATE assignments SET delivered_at = now()
  WHERE id = p_assignment AND unit_id = p_unit AND delivered_at IS NULL AND status IN ('offered', 'accepted')
  RETURNING ticket_id INTO v_ticket;
  IF NOT FOUND THEN RETURN false; END IF;
  INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, details)
  VALUES (v_ticket, NULL, 'device', 'offer_delivered', jsonb_build_object('assignmentId', p_assignment, 'unitId', p_unit));
  PERFORM announce(v_ticket, p_assignment, 'assignment.updated', '{}', true);
  RETURN true;
END $$;
