import { createHmac } from 'node:crypto';

export interface BenchUser {
  id: string;
  username: string;
  role: string;
  unitId: string | null;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An HS256 token as the app signs it. Logging in is rate-limited per address (30 a minute), so
 * the bench, which chose the server's JWT_SECRET, signs the tokens of the users it created.
 */
export function signToken(secret: string, user: BenchUser): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({
    sub: user.id, username: user.username, role: user.role, unitId: user.unitId, iat: now, exp: now + 3600,
  })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
