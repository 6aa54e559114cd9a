import { badRequest } from './problem.js';

/** Opaque keyset cursor: the sort key of the last item of the previous page. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, length: number): (string | number)[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length && key.every((part) => ['string', 'number'].includes(typeof part))) {
      return key as (string | number)[];
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('cursor is not one this API issued', [{ path: 'querystring/cursor', message: 'invalid cursor' }]);
}

/** Cuts a fetched limit+1 rows into a page and its next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
