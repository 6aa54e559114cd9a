import { Type } from 'typebox';
import { CategorySchema, IsoTime, PrioritySchema, Uuid } from '../http/schemas.js';
import { ASSIGNMENT_STATUSES, TICKET_STATUSES } from '../dispatch/state-machine.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Free text PostgreSQL can keep verbatim: no U+0000, which text cannot hold, and no lone UTF-16
 * surrogate, which would silently turn into U+FFFD. Ajv matches with the "u" flag, so an emoji's
 * surrogate pair is one code point and passes; lengths count code points too.
 */
const Text = (length: { minLength?: number; maxLength: number }) =>
  Type.String({ ...length, pattern: '^[^\\u0000\\uD800-\\uDFFF]*$' });

export const LocationInput = Type.Object({
  address: Type.Optional(Text({ maxLength: 500 })),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
}, { additionalProperties: false });

export const NewTicketBody = Type.Object({
  caller: Type.Object({
    phone: Type.String({ minLength: 1, maxLength: 40, pattern: '^[+0-9][0-9 ()-]*$' }),
    name: Type.Optional(Text({ maxLength: 200 })),
  }, { additionalProperties: false }),
  location: LocationInput,
  description: Text({ minLength: 1, maxLength: 4000 }),
  category: Type.Optional(CategorySchema),
  priority: Type.Optional(PrioritySchema),
}, { additionalProperties: false });

export const PatchTicketBody = Type.Object({
  category: Type.Optional(CategorySchema),
  priority: Type.Optional(PrioritySchema),
  description: Type.Optional(Text({ minLength: 1, maxLength: 4000 })),
  location: Type.Optional(LocationInput),
}, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

export const AssignmentSchema = Type.Object({
  id: Uuid, ticketId: Uuid, unitId: Uuid, status: Type.Enum(ASSIGNMENT_STATUSES),
  offeredAt: IsoTime, answerDueAt: IsoTime, answeredAt: Nullable(IsoTime), deliveredAt: Nullable(IsoTime),
  endedAt: Nullable(IsoTime), declineReason: Nullable(Type.String()), forced: Type.Boolean(),
}, { $id: 'Assignment' });

const ticketProps = {
  id: Uuid,
  number: Type.String({ pattern: '^[0-9]{8}-[0-9]{6,}$' }),
  status: Type.Enum(TICKET_STATUSES),
  category: CategorySchema,
  domain: Type.Enum(['police', 'utility', 'unknown'] as const),
  priority: PrioritySchema,
  classification: Type.Object({
    category: CategorySchema, priority: PrioritySchema, confidence: Type.Number({ minimum: 0, maximum: 1 }),
    matched: Type.Array(Type.String()), source: Type.Enum(['auto', 'operator'] as const),
    suggested: Type.Optional(Type.Object({ category: CategorySchema, priority: PrioritySchema })),
  }),
  caller: Type.Object({ phone: Type.String(), name: Type.Optional(Type.String()) }),
  location: Type.Object({ address: Type.Optional(Type.String()), lat: Type.Number(), lon: Type.Number() }),
  description: Type.String(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  acceptedAt: Nullable(IsoTime),
  onSceneAt: Nullable(IsoTime),
  resolvedAt: Nullable(IsoTime),
  endedAt: Nullable(IsoTime),
  mergedInto: Nullable(Uuid),
  cancelReason: Nullable(Type.String()),
  satisfaction: Nullable(Type.Integer()),
  closeNote: Nullable(Type.String()),
  sla: Type.Object({
    assignDueAt: IsoTime, arriveDueAt: IsoTime, resolveDueAt: IsoTime,
    breaches: Type.Array(Type.Object({ stage: Type.String(), dueAt: IsoTime, breachedAt: IsoTime })),
  }),
  possibleDuplicates: Type.Array(Type.Object({ id: Uuid, number: Type.String(), distanceM: Type.Number(), createdAt: IsoTime })),
  assignments: Type.Array(Type.Ref('Assignment')),
};

export const TicketSchema = Type.Object(ticketProps, { $id: 'Ticket' });

export const AuditEntry = Type.Object({
  id: Type.Integer(), at: IsoTime, actorId: Nullable(Uuid), actorRole: Type.String(), action: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const TicketWithEvents = Type.Object({ ...ticketProps, events: Type.Array(AuditEntry) });

export const AssignmentView = Type.Object({ assignment: Type.Ref('Assignment'), ticket: Type.Ref('Ticket') });

export const TicketQuery = Type.Object({
  status: Type.Optional(Type.Enum(TICKET_STATUSES)),
  category: Type.Optional(CategorySchema),
  priority: Type.Optional(PrioritySchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false });
