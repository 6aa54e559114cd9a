import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTxRunner, type RunInTx } from '../../src/db/tx.js';
import { build, type TestContext } from '../helper.js';

let ctx: TestContext;
let runInTx: RunInTx;
let woken = 0;

beforeAll(async () => {
  ctx = await build({ roles: [] });
  runInTx = createTxRunner({ pool: ctx.db, logger: pino({ level: 'silent' }), onEventsCommitted: () => { woken++; } });
  await ctx.db.query('CREATE TABLE probe (n integer)');
});
afterAll(async () => { await ctx?.close(); });

const probes = async () => (await ctx.db.query<{ n: number }>('SELECT n FROM probe ORDER BY n')).rows.map((r) => r.n);

describe('the transaction runner', () => {
  it('commits events with the change, in the order emitted, and wakes the relay once', async () => {
    const before = woken;
    await runInTx(async (tx) => {
      await tx.client.query('INSERT INTO probe VALUES (1)');
      tx.emit('unit.updated', ['dispatch'], { n: 1 });
      tx.emitJson('[{"type": "unit.updated", "rooms": ["dispatch"], "data": {"n": 2}}]');
    });
    const { rows } = await ctx.db.query<{ data: { n: number } }>(`SELECT data FROM events WHERE type = 'unit.updated' ORDER BY seq`);
    expect(rows.map((r) => r.data.n)).toEqual([1, 2]);
    expect(await probes()).toEqual([1]);
    expect(woken).toBe(before + 1);
  });

  it('rolls back the change and its events when the work fails', async () => {
    await expect(runInTx(async (tx) => {
      await tx.client.query('INSERT INTO probe VALUES (2)');
      tx.emit('unit.updated', ['dispatch'], { n: 3 });
      throw new Error('refused');
    })).rejects.toThrow('refused');
    expect(await probes()).toEqual([1]);
    expect((await ctx.db.query(`SELECT 1 FROM events WHERE data->>'n' = '3'`)).rowCount).toBe(0);
  });

  it('refuses a second statement in a single-statement transaction, which would commit on its own', async () => {
    let jobs = 0;
    await expect(runInTx(async (tx) => {
      tx.afterCommit(async () => { jobs++; });
      await tx.client.query('INSERT INTO probe VALUES (3)');
      await tx.client.query('INSERT INTO probe VALUES (4)');
    }, { single: true })).rejects.toThrow('A single-statement transaction runs one statement');
    // The first statement was its own transaction and committed: its after-commit work still runs.
    expect(await probes()).toEqual([1, 3]);
    expect(jobs).toBe(1);
  });

  it('refuses events recorded in TypeScript in a single-statement transaction', async () => {
    await expect(runInTx(async (tx) => { tx.emit('unit.updated', ['dispatch'], {}); }, { single: true }))
      .rejects.toThrow('appends its events in SQL');
  });

  it('commits with the last statement in one round trip, and refuses any statement after it', async () => {
    let jobs = 0;
    await expect(runInTx(async (tx) => {
      tx.afterCommit(async () => { jobs++; });
      await tx.client.query('INSERT INTO probe VALUES (5)');
      const rows = await tx.commitWith<{ n: number }>('INSERT INTO probe VALUES (6) RETURNING n');
      expect(rows).toEqual([{ n: 6 }]);
      await tx.client.query('INSERT INTO probe VALUES (7)');
    })).rejects.toThrow('The transaction has committed');
    expect(await probes()).toEqual([1, 3, 5, 6]);
    expect(jobs).toBe(1);
  });

  it('rolls back everything when the committing statement fails', async () => {
    await expect(runInTx(async (tx) => {
      await tx.client.query('INSERT INTO probe VALUES (8)');
      await tx.commitWith(`INSERT INTO probe VALUES ('not a number')`);
    })).rejects.toThrow('invalid input syntax');
    expect(await probes()).toEqual([1, 3, 5, 6]);
    // The connection went back to the pool usable: a later transaction commits as usual.
    await runInTx(async (tx) => { await tx.client.query('INSERT INTO probe VALUES (9)'); });
    expect(await probes()).toEqual([1, 3, 5, 6, 9]);
  });

  it('opens with the first statement in one round trip, and refuses a second opening', async () => {
    await runInTx(async (tx) => {
      expect(await tx.beginWith<{ n: number }>('INSERT INTO probe VALUES (10) RETURNING n')).toEqual([{ n: 10 }]);
      await tx.client.query('INSERT INTO probe VALUES (11)');
      await expect(tx.beginWith('SELECT 1')).rejects.toThrow('beginWith() runs the first statement');
    });
    expect(await probes()).toEqual([1, 3, 5, 6, 9, 10, 11]);
    await expect(runInTx(async (tx) => {
      await tx.beginWith('INSERT INTO probe VALUES (12)');
      await tx.client.query('INSERT INTO probe VALUES (1 / 0)');
    })).rejects.toThrow('division by zero');
    expect(await probes()).toEqual([1, 3, 5, 6, 9, 10, 11]);
  });
});
