import { badRequest } from './problem.js';

/** What each part of a cursor key must be before it reaches SQL. */
export type KeyPart = 'time' | 'uuid' | 'text';

/** The form list queries write times in: microseconds, UTC, a year PostgreSQL accepts. */
const KEY_TIME = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const KEY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque keyset cursor: the sort key of the last item of the previous page. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Decodes a cursor this API issued, checking each part by kind. Anything else is a 400 here:
 * passed on, PostgreSQL would take "yesterday" as a time, or fail on "not-a-uuid" with a 500.
 */
export function decodeCursor(cursor: string | undefined, parts: readonly KeyPart[]): string[] | null {
  if (cursor === undefined) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (Array.isArray(key) && key.length === parts.length && parts.every((kind, i) => fits(kind, key[i]))) {
    return key as string[];
  }
  throw badRequest('cursor is not one this API issued', [{ path: 'querystring/cursor', message: 'invalid cursor' }]);
}

function fits(kind: KeyPart, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (kind === 'uuid') return KEY_UUID.test(value);
  if (kind === 'time') return isInstant(value);
  return value.length > 0 && value.length <= 200 && !value.includes('\u0000');
}

/** Date.parse rolls 30 February over into March; PostgreSQL refuses it, so the date must survive a round trip. */
function isInstant(at: string): boolean {
  if (!KEY_TIME.test(at)) return false;
  const millis = `${at.slice(0, 23)}Z`;
  return !Number.isNaN(Date.parse(millis)) && new Date(millis).toISOString() === millis;
}

/** Cuts a fetched limit+1 rows into a page and its next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string[]) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
