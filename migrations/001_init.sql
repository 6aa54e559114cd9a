-- Up Migration

CREATE TABLE units (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  callsign    text NOT NULL UNIQUE,
  type        text NOT NULL CHECK (type IN ('police','water','power','gas','heating','repair')),
  status      text NOT NULL DEFAULT 'off_duty' CHECK (status IN ('available','busy','off_duty')),
  lat         double precision CHECK (lat BETWEEN -90 AND 90),
  lon         double precision CHECK (lon BETWEEN -180 AND 180),
  -- Bumped on every change to status so that "unit freed" jobs get a fresh deterministic id.
  version     integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX units_free_idx ON units (type) WHERE status = 'available';

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username       text NOT NULL UNIQUE,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin','operator','dispatcher','supervisor','responder')),
  unit_id        uuid REFERENCES units(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'responder') = (unit_id IS NOT NULL))
);

CREATE TABLE sla_policies (
  category     text NOT NULL CHECK (category IN ('police','water','power','gas','heating','repair')),
  priority     text NOT NULL CHECK (priority IN ('P1','P2','P3')),
  assign_sec   integer NOT NULL CHECK (assign_sec > 0),
  arrive_sec   integer NOT NULL CHECK (arrive_sec > 0),
  resolve_sec  integer NOT NULL CHECK (resolve_sec > 0),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (category, priority)
);
INSERT INTO sla_policies (category, priority, assign_sec, arrive_sec, resolve_sec)
SELECT c, p.priority, p.assign_sec, p.arrive_sec, p.resolve_sec
FROM (VALUES ('police')) AS cats(c),
     (VALUES ('P1', 60, 300, 7200), ('P2', 180, 900, 86400), ('P3', 600, 3600, 259200))
       AS p(priority, assign_sec, arrive_sec, resolve_sec)
UNION ALL
SELECT c, p.priority, p.assign_sec, p.arrive_sec, p.resolve_sec
FROM (VALUES ('water'), ('power'), ('gas'), ('heating'), ('repair')) AS cats(c),
     (VALUES ('P1', 120, 1800, 14400), ('P2', 600, 7200, 86400), ('P3', 1800, 86400, 259200))
       AS p(priority, assign_sec, arrive_sec, resolve_sec);

CREATE TABLE tickets (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number             text NOT NULL UNIQUE,
  status             text NOT NULL CHECK (status IN
                       ('queued','offered','accepted','en_route','on_scene','resolved','closed','cancelled','merged')),
  category           text NOT NULL CHECK (category IN
                       ('police','water','power','gas','heating','repair','unclassified')),
  priority           text NOT NULL CHECK (priority IN ('P1','P2','P3')),
  classification     jsonb NOT NULL,
  caller_phone       text NOT NULL,
  caller_name        text,
  address            text,
  lat                double precision NOT NULL,
  lon                double precision NOT NULL,
  description        text NOT NULL,
  created_by         uuid REFERENCES users(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  assign_due_at      timestamptz NOT NULL,
  arrive_due_at      timestamptz NOT NULL,
  resolve_due_at     timestamptz NOT NULL,
  accepted_at        timestamptz,
  on_scene_at        timestamptz,
  resolved_at        timestamptz,
  ended_at           timestamptz,
  -- Bumped each time the ticket (re)enters the queue: the routing job id carries it.
  route_version      integer NOT NULL DEFAULT 0,
  merged_into        uuid REFERENCES tickets(id),
  cancel_reason      text,
  satisfaction       smallint CHECK (satisfaction BETWEEN 1 AND 5),
  close_note         text
);
CREATE INDEX tickets_created_idx ON tickets (created_at DESC, id DESC);
CREATE INDEX tickets_queue_idx ON tickets (category, priority, created_at) WHERE status = 'queued';
-- Possible-duplicate search: open tickets of a category within a band of latitude.
CREATE INDEX tickets_open_near_idx ON tickets (category, lat)
  WHERE status NOT IN ('resolved','closed','cancelled','merged');

CREATE TABLE assignments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id       uuid NOT NULL REFERENCES tickets(id),
  unit_id         uuid NOT NULL REFERENCES units(id),
  status          text NOT NULL CHECK (status IN ('offered','accepted','declined','expired','cancelled','completed')),
  offered_at      timestamptz NOT NULL DEFAULT now(),
  answer_due_at   timestamptz NOT NULL,
  answered_at     timestamptz,
  delivered_at    timestamptz,
  ended_at        timestamptz,
  decline_reason  text,
  offered_by      uuid REFERENCES users(id),
  forced          boolean NOT NULL DEFAULT false
);
-- The database itself refuses a unit with two live tickets or a ticket with two live offers.
CREATE UNIQUE INDEX assignments_one_live_per_unit ON assignments (unit_id) WHERE status IN ('offered','accepted');
CREATE UNIQUE INDEX assignments_one_live_per_ticket ON assignments (ticket_id) WHERE status IN ('offered','accepted');
CREATE INDEX assignments_ticket_idx ON assignments (ticket_id, offered_at);
CREATE INDEX assignments_offered_due_idx ON assignments (answer_due_at) WHERE status = 'offered';

-- Audit trail: who did what to a ticket, written in the same transaction as the change.
CREATE TABLE ticket_events (
  id          bigserial PRIMARY KEY,
  ticket_id   uuid NOT NULL REFERENCES tickets(id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    uuid REFERENCES users(id),
  actor_role  text NOT NULL,
  action      text NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);

-- System event log: the one ordered stream pushed to sockets and replayed from.
CREATE TABLE events (
  seq    bigserial PRIMARY KEY,
  type   text NOT NULL,
  rooms  text[] NOT NULL,
  at     timestamptz NOT NULL DEFAULT now(),
  data   jsonb NOT NULL
);
CREATE INDEX events_at_idx ON events (at);

CREATE TABLE idempotency_keys (
  key           text PRIMARY KEY,
  request_hash  text NOT NULL,
  ticket_id     uuid REFERENCES tickets(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE classification_corrections (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id       uuid NOT NULL REFERENCES tickets(id),
  text            text NOT NULL,
  category        text NOT NULL,
  priority        text NOT NULL,
  auto_category   text NOT NULL,
  auto_priority   text NOT NULL,
  created_by      uuid REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sla_alerts (
  ticket_id   uuid NOT NULL REFERENCES tickets(id),
  stage       text NOT NULL CHECK (stage IN ('assign','arrive','resolve')),
  kind        text NOT NULL CHECK (kind IN ('warning','breach')),
  due_at      timestamptz NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  category    text NOT NULL,
  priority    text NOT NULL,
  PRIMARY KEY (ticket_id, stage, kind)
);
CREATE INDEX sla_alerts_breach_idx ON sla_alerts (at DESC, ticket_id, stage) WHERE kind = 'breach';

-- Per-day ticket numbers from a per-day sequence: no row lock serialises concurrent intake,
-- and a sequence never hands out a number twice.
CREATE FUNCTION next_ticket_number(day date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  seq_name text := 'ticket_number_' || to_char(day, 'YYYYMMDD');
  n bigint;
BEGIN
  BEGIN
    n := nextval(seq_name);
  EXCEPTION WHEN undefined_table THEN
    BEGIN
      EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq_name);
    EXCEPTION WHEN unique_violation OR duplicate_table THEN
      NULL;
    END;
    n := nextval(seq_name);
  END;
  RETURN to_char(day, 'YYYYMMDD') || '-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END;
END $$;

-- Event ordering. Writers take this lock shared just before drawing a seq (see
-- src/events/log.ts); the relay takes it exclusively for an instant. Once it has it, every
-- seq drawn so far belongs to a committed or rolled-back transaction, so everything up to
-- the returned watermark can be published in seq order with no later arrival below it.
CREATE FUNCTION event_watermark() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  last bigint;
  called boolean;
BEGIN
  PERFORM pg_advisory_xact_lock(110110);
  SELECT last_value, is_called INTO last, called FROM events_seq_seq;
  RETURN CASE WHEN called THEN last ELSE 0 END;
END $$;

CREATE FUNCTION is_open(status text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT status NOT IN ('resolved', 'closed', 'cancelled', 'merged')
$$;

CREATE FUNCTION iso(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Great-circle distance in metres; close enough to straight-line at city scale.
CREATE FUNCTION distance_m(lat1 float8, lon1 float8, lat2 float8, lon2 float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 2 * 6371000 * asin(sqrt(
    power(sin(radians(lat2 - lat1) / 2), 2) +
    cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2)))
$$;


CREATE FUNCTION assignment_json(a assignments) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT jsonb_build_object(
    'id', a.id, 'ticketId', a.ticket_id, 'unitId', a.unit_id, 'status', a.status,
    'offeredAt', iso(a.offered_at), 'answerDueAt', iso(a.answer_due_at),
    'answeredAt', iso(a.answered_at), 'deliveredAt', iso(a.delivered_at), 'endedAt', iso(a.ended_at),
    'declineReason', a.decline_reason, 'forced', a.forced));
END $$;

-- The API's ticket, built where the data is: one round trip for a ticket and all it shows.
-- PL/pgSQL rather than SQL so the query is planned once per session, not inlined and
-- re-planned into every statement that calls it.
CREATE FUNCTION ticket_json(t tickets) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT jsonb_build_object(
    'id', t.id, 'number', t.number, 'status', t.status, 'category', t.category,
    'domain', CASE t.category WHEN 'police' THEN 'police' WHEN 'unclassified' THEN 'unknown' ELSE 'utility' END,
    'priority', t.priority, 'classification', t.classification,
    'caller', jsonb_strip_nulls(jsonb_build_object('phone', t.caller_phone, 'name', t.caller_name)),
    'location', jsonb_strip_nulls(jsonb_build_object('address', t.address, 'lat', t.lat, 'lon', t.lon)),
    'description', t.description, 'createdAt', iso(t.created_at), 'updatedAt', iso(t.updated_at),
    'acceptedAt', iso(t.accepted_at), 'onSceneAt', iso(t.on_scene_at), 'resolvedAt', iso(t.resolved_at),
    'endedAt', iso(t.ended_at), 'mergedInto', t.merged_into, 'cancelReason', t.cancel_reason,
    'satisfaction', t.satisfaction, 'closeNote', t.close_note,
    'sla', jsonb_build_object(
      'assignDueAt', iso(t.assign_due_at), 'arriveDueAt', iso(t.arrive_due_at), 'resolveDueAt', iso(t.resolve_due_at),
      'breaches', COALESCE((
        SELECT jsonb_agg(jsonb_build_object('stage', s.stage, 'dueAt', iso(s.due_at), 'breachedAt', iso(s.at)) ORDER BY s.at)
        FROM sla_alerts s WHERE s.ticket_id = t.id AND s.kind = 'breach'), '[]'::jsonb)),
    'possibleDuplicates', COALESCE((
      SELECT jsonb_agg(jsonb_build_object('id', d.id, 'number', d.number, 'distanceM', round(d.dist::numeric, 1),
                                          'createdAt', iso(d.created_at)) ORDER BY d.dist)
      FROM (SELECT o.id, o.number, o.created_at, distance_m(t.lat, t.lon, o.lat, o.lon) AS dist
            FROM tickets o
            WHERE o.id <> t.id AND o.category = t.category AND t.category <> 'unclassified' AND is_open(o.status)
              AND o.created_at BETWEEN t.created_at - interval '60 minutes' AND t.created_at + interval '60 minutes'
              -- 300 m is under 0.0028° of latitude, and of longitude divided by cos(latitude).
              AND o.lat BETWEEN t.lat - 0.003 AND t.lat + 0.003
              AND o.lon BETWEEN t.lon - 0.003 / greatest(cos(radians(t.lat)), 0.01)
                            AND t.lon + 0.003 / greatest(cos(radians(t.lat)), 0.01)) d
      WHERE d.dist <= 300), '[]'::jsonb),
    'assignments', COALESCE((
      SELECT jsonb_agg(assignment_json(a) ORDER BY a.offered_at) FROM assignments a WHERE a.ticket_id = t.id), '[]'::jsonb)));
END $$;

CREATE FUNCTION unit_json(u units) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT jsonb_build_object(
    'id', u.id, 'callsign', u.callsign, 'type', u.type, 'status', u.status,
    'location', CASE WHEN u.lat IS NULL THEN NULL ELSE jsonb_build_object('lat', u.lat, 'lon', u.lon) END,
    'ticketId', (SELECT a.ticket_id FROM assignments a WHERE a.unit_id = u.id AND a.status IN ('offered','accepted')),
    'createdAt', iso(u.created_at), 'updatedAt', iso(u.updated_at)));
END $$;
