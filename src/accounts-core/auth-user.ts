import { Role } from './role.enum';

export type AccountKind = 'person' | 'service';

/**
 * The signed-in user as the guard puts it on the request: read from the account's CURRENT state
 * (at most a few seconds old), never from the token's claims alone.
 */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  workstationId: string | null;
  displayName?: string;
  kind?: AccountKind;
  /** A service account's workstations (its first is `workstationId`). */
  workstationIds?: string[];
}

/** What a token carries; `tv` is the account's token version when it was issued. */
export interface JwtClaims {
  sub: string;
  username: string;
  role: Role;
  ws: string | null;
  tv: number;
}
