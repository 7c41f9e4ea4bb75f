import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { AuthUser, JwtClaims } from '../../src/accounts-core/auth-user';
import { PasswordHasher } from '../../src/accounts-core/password-hasher';
import { Role } from '../../src/accounts-core/role.enum';
import { TestApp } from './test-app';

/** Small factories that build rows straight in the test database; tokens are signed as login would. */
const suffix = () => randomBytes(3).toString('hex');
export const TEST_PASSWORD = 'test-password-1';
let passwordHash: Promise<string> | undefined;

export interface TestWorkstation {
  id: string;
  code: string;
  name: string;
}

export interface TestUser extends AuthUser {
  displayName: string;
  token: string;
}

export async function makeWorkstation(t: TestApp, code = `WS${suffix().toUpperCase()}`): Promise<TestWorkstation> {
  const name = `${code}劳动争议诉调对接工作室`;
  const [row] = await t.db.query(
    `INSERT INTO workstations (code, name, court, union_name, region) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [code, name, '测试区人民法院', '测试区总工会', '测试省测试市'],
  );
  return { id: row.id, code, name };
}

export function tokenFor(t: TestApp, user: AuthUser, expiresInSeconds?: number): string {
  const claims: JwtClaims = { sub: user.id, username: user.username, role: user.role, ws: user.workstationId, tv: 0 };
  return t.app.get(JwtService).sign(claims, expiresInSeconds === undefined ? undefined : { expiresIn: expiresInSeconds });
}

export async function makeUser(t: TestApp, role: Role, workstationId: string | null, name?: string): Promise<TestUser> {
  passwordHash ??= t.app.get(PasswordHasher).hash(TEST_PASSWORD);
  const username = name ?? `${role}_${suffix()}`;
  const displayName = `测试${role}${suffix()}`;
  const [row] = await t.db.query(
    `INSERT INTO users (username, password_hash, display_name, role, workstation_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [username, await passwordHash, displayName, role, workstationId],
  );
  const user: AuthUser = { id: row.id, username, role, workstationId };
  return { ...user, displayName, token: tokenFor(t, user) };
}

/** A workstation with one user of each role, the usual cast of a test. */
export async function makeWorkstationTeam(t: TestApp) {
  const ws = await makeWorkstation(t);
  const [staff, mediator, mediator2, clerk] = await Promise.all([
    makeUser(t, Role.UnionStaff, ws.id),
    makeUser(t, Role.Mediator, ws.id),
    makeUser(t, Role.Mediator, ws.id),
    makeUser(t, Role.CourtClerk, ws.id),
  ]);
  return { ws, staff, mediator, mediator2, clerk };
}

export const bearer = (u: { token: string }) => ({ Authorization: `Bearer ${u.token}` });
