import { AuthUser } from './auth-user';
import { Role } from './role.enum';

/**
 * Which workstations a user sees. `null` means all (admins and city-level union staff, who
 * have no workstation); otherwise exactly one.
 */
export function visibleWorkstationId(user: AuthUser): string | null | undefined {
  if (user.role === Role.Admin) return null;
  if (user.role === Role.UnionStaff && !user.workstationId) return null;
  return user.workstationId ?? undefined;
}

export function canSeeWorkstation(user: AuthUser, workstationId: string): boolean {
  const scope = visibleWorkstationId(user);
  // A service account may serve several workstations (lists show its first; single cases any of them).
  return scope === null || scope === workstationId || (user.workstationIds?.includes(workstationId) ?? false);
}

/** Case visibility: mediators see their assigned cases; others their workstation (or all). */
export function canSeeCase(user: AuthUser, c: { workstationId: string; mediatorId: string | null }): boolean {
  if (user.role === Role.Mediator) return c.mediatorId === user.id;
  return canSeeWorkstation(user, c.workstationId);
}

/** Whole identity numbers only for the assigned mediator, the workstation's court clerk and admins. */
export function canSeeIdentity(user: AuthUser, c: { workstationId: string; mediatorId: string | null }): boolean {
  if (user.role === Role.Admin) return true;
  if (user.role === Role.Mediator) return c.mediatorId === user.id;
  if (user.role === Role.CourtClerk) return user.workstationId === c.workstationId || (user.workstationIds?.includes(c.workstationId) ?? false);
  return false;
}

/** 420***********1234: the first three and last four characters stay. */
export function maskIdNumber(id: string | null): string | null {
  if (!id) return id;
  if (id.length <= 7) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
}

/** maskIdNumber in SQL, for exports written by PostgreSQL (`expr` is text; NULL and '' stay as they are). */
export function maskIdNumberSql(expr: string): string {
  return `CASE WHEN length(${expr}) <= 7 THEN repeat('*', length(${expr})) ELSE left(${expr}, 3) || repeat('*', length(${expr}) - 7) || right(${expr}, 4) END`;
}
