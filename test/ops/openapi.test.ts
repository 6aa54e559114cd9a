import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

describe('openapi.yaml', () => {
  it('is the very document the app serves at /openapi.json (regenerate with `npm run openapi`)', async () => {
    const file = YAML.parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
    const served = (await api(ctx)('GET', '/openapi.json')).body;
    expect(file, 'openapi.yaml is stale: run `npm run openapi` and commit it').toStrictEqual(served);
  });
});
