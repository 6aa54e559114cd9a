/**
 * The raw limit for intake: the least an HTTP write can do. One Fastify route, one
 * INSERT … RETURNING of the posted JSON, through a pool the size of the app's. Run as its own
 * process by bench/intake.ts with DATABASE_URL and PORT.
 */
import Fastify from 'fastify';
import { createPool } from '../src/db/pool.js';

const pool = createPool(process.env.DATABASE_URL!, { max: 20, applicationName: 'bench-minimal' });
await pool.query(`CREATE TABLE IF NOT EXISTS bench_minimal (
  id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);

const app = Fastify({ logger: false });
app.post('/v1/tickets', async (request, reply) => {
  const { rows } = await pool.query('INSERT INTO bench_minimal (body) VALUES ($1) RETURNING id, body, created_at', [request.body]);
  return reply.code(201).send(rows[0]);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('minimal server ready');

process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0));
});
