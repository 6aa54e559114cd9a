/** Event names of CONTRACT §6; each is emitted under its type with the envelope below. */
export type EventType =
  | 'ticket.created' | 'ticket.updated'
  | 'assignment.offered' | 'assignment.updated'
  | 'unit.updated'
  | 'sla.warning' | 'sla.breached';

export interface NewEvent {
  type: EventType;
  rooms: string[];
  data: unknown;
}

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

export const DISPATCH_ROOM = 'dispatch';
export const SUPERVISORS_ROOM = 'supervisors';
export const unitRoom = (unitId: string) => `unit:${unitId}`;
