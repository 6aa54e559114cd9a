import { Type, type Static, type TSchema } from 'typebox';

/**
 * An id as the server writes it: lowercase, without a "urn:uuid:" prefix. Ajv's uuid format lets
 * both through, PostgreSQL refused the prefix with a 500, and ids compared as strings (a merge
 * into itself, a responder's own unit) went wrong on an uppercase copy.
 */
export const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
export const IsoTime = Type.String({ format: 'date-time' });

export const IdParams = Type.Object({ id: Uuid });

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
}, { $id: 'Problem' });

/** Every route answers its errors with problem details; list them once per route. */
export const problemResponses = {
  '4xx': Type.Ref('Problem'),
  '5xx': Type.Ref('Problem'),
};

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export const Coordinates = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
}, { additionalProperties: false });
export type Coordinates = Static<typeof Coordinates>;

export const CategorySchema = Type.Enum(['police', 'water', 'power', 'gas', 'heating', 'repair', 'unclassified'] as const);
export const UnitTypeSchema = Type.Enum(['police', 'water', 'power', 'gas', 'heating', 'repair'] as const);
export const PrioritySchema = Type.Enum(['P1', 'P2', 'P3'] as const);
