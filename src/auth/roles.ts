export type UserRole = 'admin' | 'operator' | 'dispatcher' | 'supervisor' | 'responder';

export const USER_ROLES: readonly UserRole[] = ['admin', 'operator', 'dispatcher', 'supervisor', 'responder'];

/** CONTRACT §5: "staff" = everyone but responders. */
export const STAFF: readonly UserRole[] = ['admin', 'operator', 'dispatcher', 'supervisor'];

/** The identity a verified token carries. */
export interface AuthUser {
  id: string;
  username: string;
  role: UserRole;
  unitId: string | null;
}
