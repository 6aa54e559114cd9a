import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const SECRET = 'a-secret-that-is-long-enough-0123456789';

describe('loadConfig', () => {
  it('uses the contract defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000, host: '127.0.0.1', logLevel: 'info', admin: null,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/livelihood110', redisUrl: 'redis://127.0.0.1:6379',
      offerTimeoutSec: { P1: 30, P2: 60, P3: 120 },
    });
    expect([...config.roles].sort()).toEqual(['api', 'worker']);
  });

  it('makes up a random JWT secret per start outside production', () => {
    const [first, second] = [loadConfig({}), loadConfig({})];
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.jwtSecret).not.toBe(second.jwtSecret);
  });

  it('reads what is set', () => {
    const config = loadConfig({
      PORT: '8080', HOST: '0.0.0.0', ROLES: 'worker', JWT_SECRET: SECRET, NODE_ENV: 'production',
      ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'chief-password', OFFER_TIMEOUT_P1: '15', LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080, host: '0.0.0.0', jwtSecret: SECRET, admin: { username: 'chief', password: 'chief-password' },
      offerTimeoutSec: { P1: 15, P2: 60, P3: 120 }, logLevel: 'debug',
    });
    expect([...config.roles]).toEqual(['worker']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535, got "70000"'],
    [{ PORT: '3000.5' }, 'PORT must be an integer'],
    [{ ROLES: 'api,web' }, 'ROLES must list api and/or worker, got "api,web"'],
    [{ ROLES: ',' }, 'ROLES must list api and/or worker'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET is required when NODE_ENV=production'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters'],
    [{ ADMIN_USERNAME: 'chief' }, 'ADMIN_USERNAME and ADMIN_PASSWORD go together'],
    [{ ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD must be at least 8 characters'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL must start with postgres: or postgresql:'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL is not a URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ OFFER_TIMEOUT_P2: '0' }, 'OFFER_TIMEOUT_P2 must be an integer from 1 to 86400'],
  ])('refuses %o saying what is wrong', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
