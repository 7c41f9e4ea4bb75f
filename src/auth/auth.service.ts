import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuditService } from '../audit/audit.service';
import { invalidInput, unauthorized } from '../common/errors/domain-error';
import { toUserView, UsersService } from '../users/users.service';
import { UserView } from '../users/user.dto';
import { AccountStateService } from '../accounts-core/account-state.service';
import { AuthUser, JwtClaims } from '../accounts-core/auth-user';
import { LoginLimiter } from './login-limiter';
import { PasswordHasher } from '../accounts-core/password-hasher';
import { assertPasswordAcceptable } from '../accounts-core/password-policy';

export interface LoginResult {
  accessToken: string;
  user: UserView;
  /** Present (true) only when the password must be changed before anything else works. */
  mustChangePassword?: true;
}

@Injectable()
export class AuthService {
  // Verified when the username is unknown, so that a wrong username costs as much as a wrong password.
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditService,
    private readonly accounts: AccountStateService,
  ) {}

  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    await this.limiter.assertAllowed(ip, username);
    const user = await this.users.findForLogin(username);
    const ok = user ? await this.hasher.verify(user.passwordHash, password) : await this.verifyDummy(password);
    if (!user || !ok) {
      await this.limiter.recordFailure(ip, username);
      await this.audit.record(null, { actor: user ? { id: user.id, displayName: user.displayName } : null, action: 'auth.login_failed', targetId: user?.id ?? null, ip, details: { username: username.slice(0, 64) } });
      throw new UnauthorizedException('Wrong username or password');
    }
    await this.limiter.recordSuccess(ip, username);
    if (this.hasher.needsRehash(user.passwordHash)) await this.users.replacePasswordHash(user.id, user.passwordHash, await this.hasher.hash(password));
    await this.audit.record(null, { actor: { id: user.id, displayName: user.displayName }, action: 'auth.login', targetId: user.id, ip });
    return { accessToken: this.sign(user), user: toUserView(user), ...(user.mustChangePassword ? { mustChangePassword: true as const } : {}) };
  }

  async me(actor: AuthUser): Promise<UserView> {
    const user = await this.users.findById(actor.id);
    if (!user || !user.active) throw unauthorized('Account no longer active');
    return toUserView(user);
  }

  /** Ends every token of the account (the token version moves on). */
  async logout(actor: AuthUser, ip: string): Promise<void> {
    await this.users.bumpTokenVersion(actor.id);
    this.accounts.invalidate(actor.id);
    await this.audit.record(null, { actor, action: 'auth.logout', targetId: actor.id, ip });
  }

  /** The user's own change: ends every other token and answers with a fresh one. */
  async changePassword(actor: AuthUser, currentPassword: string, newPassword: string, ip: string): Promise<LoginResult> {
    const user = await this.users.findForLogin(actor.username);
    if (!user || user.id !== actor.id || !(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw invalidInput('currentPassword is wrong', { field: 'currentPassword' }, '当前密码不正确');
    }
    if (newPassword === currentPassword) throw invalidInput('newPassword must differ from the current one', { field: 'newPassword' }, '新密码不能与当前密码相同');
    assertPasswordAcceptable(newPassword, user.username, 'newPassword');
    const updated = await this.users.setPassword(user.id, await this.hasher.hash(newPassword), false, async (em) => {
      await this.audit.record(em, { actor, action: 'auth.password_changed', targetId: user.id, ip });
    });
    this.accounts.invalidate(user.id);
    return { accessToken: this.sign(updated), user: toUserView(updated) };
  }

  private sign(user: { id: string; username: string; role: JwtClaims['role']; workstationId: string | null; tokenVersion: number }): string {
    const claims: JwtClaims = { sub: user.id, username: user.username, role: user.role, ws: user.workstationId, tv: user.tokenVersion };
    return this.jwt.sign(claims);
  }

  private async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hasher.hash('not-a-real-password');
    await this.hasher.verify(await this.dummyHash, password);
    return false;
  }
}
