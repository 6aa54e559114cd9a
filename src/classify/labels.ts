/** The labels a call can get (CONTRACT §4), shared by the rules, the model and the evaluation. */
export type Category = 'police' | 'water' | 'power' | 'gas' | 'heating' | 'repair' | 'unclassified';
export type Domain = 'police' | 'utility' | 'unknown';
export type Priority = 'P1' | 'P2' | 'P3';

export const CATEGORIES: readonly Category[] = ['police', 'water', 'power', 'gas', 'heating', 'repair', 'unclassified'];
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3'];

/** Which kind of unit can take a ticket of this category. */
export function domainOf(c: Category): Domain {
  if (c === 'police') return 'police';
  return c === 'unclassified' ? 'unknown' : 'utility';
}
