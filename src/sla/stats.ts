import type { Pool } from '../db/pool.js';

/**
 * The supervisor's board in one statement: open work, today's breaches (the city's calendar
 * day), and over the last 24 h the median and p90 time to accept and to arrive and the share
 * of decided stages that were met in time.
 */
export async function supervisorStats(db: Pool, timeZone: string): Promise<Record<string, unknown>> {
  const { rows } = await db.query<{ stats: Record<string, unknown> }>(
    `WITH open AS (SELECT status, category, priority FROM tickets WHERE is_open(status)),
     today AS (
       SELECT stage, category FROM sla_alerts
       WHERE kind = 'breach' AND at >= (date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1)),
     recent AS (
       SELECT created_at, accepted_at, on_scene_at, resolved_at, assign_due_at, arrive_due_at, resolve_due_at, status
       FROM tickets WHERE created_at > now() - interval '24 hours'),
     stages AS (
       SELECT s.stage, s.met_at IS NOT NULL AND s.met_at <= s.due_at AS met
       FROM recent t CROSS JOIN LATERAL (VALUES ('assign', t.assign_due_at, t.accepted_at),
                                                ('arrive', t.arrive_due_at, t.on_scene_at),
                                                ('resolve', t.resolve_due_at, t.resolved_at)) AS s(stage, due_at, met_at)
       -- A stage is decided once met, or once its time ran out; cancelled and merged tickets decide nothing.
       WHERE t.status NOT IN ('cancelled','merged') AND (s.met_at IS NOT NULL OR s.due_at <= now())),
     counts AS (SELECT stage, count(*) FILTER (WHERE met) AS met, count(*) AS decided FROM stages GROUP BY stage)
     SELECT jsonb_build_object(
       'generatedAt', iso(now()),
       'open', jsonb_build_object(
         'total', (SELECT count(*) FROM open),
         'byStatus', COALESCE((SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*) n FROM open GROUP BY status) x), '{}'),
         'byCategory', COALESCE((SELECT jsonb_object_agg(category, n) FROM (SELECT category, count(*) n FROM open GROUP BY category) x), '{}'),
         'byPriority', COALESCE((SELECT jsonb_object_agg(priority, n) FROM (SELECT priority, count(*) n FROM open GROUP BY priority) x), '{}')),
       'breachesToday', jsonb_build_object(
         'total', (SELECT count(*) FROM today),
         'byStage', COALESCE((SELECT jsonb_object_agg(stage, n) FROM (SELECT stage, count(*) n FROM today GROUP BY stage) x), '{}'),
         'byCategory', COALESCE((SELECT jsonb_object_agg(category, n) FROM (SELECT category, count(*) n FROM today GROUP BY category) x), '{}')),
       'timeToAcceptSec', (SELECT jsonb_build_object(
           'count', count(*),
           'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)),
           'p90', percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)))
         FROM recent WHERE accepted_at IS NOT NULL),
       'timeToArriveSec', (SELECT jsonb_build_object(
           'count', count(*),
           'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM on_scene_at - created_at)),
           'p90', percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM on_scene_at - created_at)))
         FROM recent WHERE on_scene_at IS NOT NULL),
       'stagesMet', COALESCE((SELECT jsonb_object_agg(stage, jsonb_build_object(
           'met', met, 'decided', decided, 'share', CASE WHEN decided = 0 THEN NULL ELSE round(met::numeric / decided, 4) END))
         FROM counts), '{}')
     ) AS stats`, [timeZone]);
  return rows[0]!.stats;
}
