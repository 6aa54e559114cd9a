/** Event names of CONTRACT §6; each is emitted under its type with the envelope below. */
export type EventType =
  | 'ticket.created' | 'ticket.updated'
  | 'assignment.offered' | 'assignment.updated'
  | 'unit.updated'
  | 'sla.warning' | 'sla.breached';

export interface Envelope {
  seq: number;
  type: EventType;
  at: string;
  data: unknown;
}

/** An event as stored, with the rooms it goes to. */
export interface StoredEvent extends Envelope {
  rooms: string[];
}

/**
 * What the relay publishes: every event with after < seq <= upTo, in seq order. A seq missing
 * from that range belongs to a rolled-back transaction. With no events it is a heartbeat that
 * still tells API processes how far the log is settled.
 */
export interface RelayBatch {
  after: number;
  upTo: number;
  events: StoredEvent[];
}

export const DISPATCH_ROOM = 'dispatch';
export const SUPERVISORS_ROOM = 'supervisors';
/** Room names are also spelled in SQL, where events are built (events_of in migrations/002). */
export const unitRoom = (unitId: string) => `unit:${unitId}`;
