/** Calls as operators type them: both languages, several services, so the classifier does real work. */
const CALLS = [
  '我家突然停电了，整栋楼都没电',
  '楼下自来水管爆了，水流到马路上',
  '暖气片一点都不热，家里只有十度',
  'Someone stole my bike from the rack outside the station',
  '电梯卡在六楼和七楼之间，里面有人',
  'Strong smell of gas in the stairwell',
  '邻居家半夜一直在吵架，还摔东西',
  'No running water in our flat since this morning',
  '路边大树被风刮倒了，挡住了半条路',
  'Street lights on our road have been out for three nights',
];

// A city about 30 km across; the R2 sequence (plastic-number steps) spreads points evenly in two
// dimensions, and the same way every run.
const CENTRE = { lat: 34.75, lon: 113.65 };
const HALF_SPAN = 0.15;
const R2 = [0.7548776662466927, 0.5698402909980532] as const;

/** The i-th spot of the bench's city, never the same twice in a run. */
export function spot(i: number): { lat: number; lon: number } {
  const u = (0.5 + i * R2[0]) % 1;
  const v = (0.5 + i * R2[1]) % 1;
  return { lat: round6(CENTRE.lat + (u * 2 - 1) * HALF_SPAN), lon: round6(CENTRE.lon + (v * 2 - 1) * HALF_SPAN) };
}

/** A call's body: a different place, caller and wording each time; `extra` pins category and priority. */
export function callBody(i: number, extra: { category?: string; priority?: string; marker?: string } = {}) {
  const { marker, ...pinned } = extra;
  return {
    caller: { phone: `+86 138${String(i % 100_000_000).padStart(8, '0')}` },
    location: { address: `${(i % 400) + 1} Bench Road`, ...spot(i) },
    description: `${CALLS[i % CALLS.length]} [${marker ?? 'call'} ${i}]`,
    ...pinned,
  };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
