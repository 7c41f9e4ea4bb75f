import { Role } from './role.enum';

/** The signed-in user as the guards put it on the request (from the JWT's claims). */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  workstationId: string | null;
}

export interface JwtClaims {
  sub: string;
  username: string;
  role: Role;
  ws: string | null;
}
