import type { TestContext, createUser } from '../helper.js';

export type User = Awaited<ReturnType<typeof createUser>>;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const TICKET_NUMBER = /^\d{8}-\d{6}$/;

export const GAS_SMELL = 'There is a strong smell of gas in the kitchen';

let spots = 0;

/**
 * A spot about 1.1 km from every other spot handed out in this file: tickets of one test never
 * show up as possible duplicates of another's.
 */
export function spot(): { lat: number; lon: number } {
  spots += 1;
  return { lat: 30 + spots * 0.01, lon: 120 };
}

/** A valid intake body at a fresh spot. */
export function newCall<E extends Record<string, unknown>>(description: string, extra: E = {} as E) {
  return { caller: { phone: '13800000000' } as { phone: string; name?: string }, location: spot(), description, ...extra };
}

export async function countRows(ctx: TestContext, table: string): Promise<number> {
  const { rows } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

/** The calendar day of an instant in a time zone, as a ticket number prefix (YYYYMMDD). */
export function dayIn(timeZone: string, iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(iso)).replaceAll('-', '');
}

export function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

const EARTH_RADIUS_M = 6371000;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** The point so many metres north and east of another (flat-earth step, exact enough under 1 km). */
export function moved(from: { lat: number; lon: number }, northM: number, eastM: number) {
  return {
    lat: from.lat + (northM / EARTH_RADIUS_M) * (180 / Math.PI),
    lon: from.lon + (eastM / (EARTH_RADIUS_M * Math.cos(rad(from.lat)))) * (180 / Math.PI),
  };
}

/** Great-circle distance in metres. */
export function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}
