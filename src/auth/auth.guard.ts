import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { PinoLogger } from 'nestjs-pino';
import { requestUserFields } from '../logging/request-log.hook';
import { bindToRequestLog } from '../logging/request-log-context';
import { DomainError, ErrorCode, forbidden, unauthorized } from '../common/errors/domain-error';
import { AccountState, AccountStateService, API_KEY_PATTERN } from '../accounts-core/account-state.service';
import { AuthUser, JwtClaims } from '../accounts-core/auth-user';
import { ALLOW_PENDING_PASSWORD_CHANGE, IS_PUBLIC, ROLES_KEY } from '../accounts-core/decorators';
import { Role, ROLES } from '../accounts-core/role.enum';
import { VerifiedTokens } from './verified-tokens';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KNOWN_ROLES = new Set<string>(ROLES);

/** A token's claims have the shape login gives them, or the token is refused (401, never a 500). */
export function validClaims(claims: unknown): claims is JwtClaims {
  const c = claims as Partial<JwtClaims> | null;
  return (
    !!c &&
    typeof c === 'object' &&
    typeof c.sub === 'string' &&
    UUID.test(c.sub) &&
    typeof c.role === 'string' &&
    KNOWN_ROLES.has(c.role) &&
    (c.ws === null || (typeof c.ws === 'string' && UUID.test(c.ws))) &&
    Number.isInteger(c.tv) &&
    (c.tv as number) >= 0
  );
}

/** The token still stands for the account as it is now: active, same role, workstation and token version. */
export function tokenMatchesAccount(claims: JwtClaims, account: AccountState | null): account is AccountState {
  return !!account && account.active && account.kind === 'person' && account.tokenVersion === claims.tv && account.role === claims.role && account.workstationId === (claims.ws ?? null);
}

interface RouteAccess {
  isPublic: boolean;
  allowsPendingPasswordChange: boolean;
  roles: Role[] | undefined;
}

export const PASSWORD_CHANGE_REQUIRED_MESSAGE = 'Your password was reset: set a new one with POST /api/v1/auth/password';

/**
 * Global guard: every route needs a valid bearer token (a JWT from login, or a service account's
 * API key) unless @Public(); @Roles() narrows further. Each token is checked against the
 * account's current state (cached at most a few seconds), so logout, a password change,
 * deactivation or a role or workstation change end it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly accounts: AccountStateService,
    @Optional() private readonly log?: PinoLogger,
  ) {}

  /** Each route's access rules, read from its metadata once (every request passes here). */
  private readonly routeAccess = new WeakMap<object, WeakMap<object, RouteAccess>>();

  private accessOf(context: ExecutionContext): RouteAccess {
    const controller = context.getClass();
    const handler = context.getHandler();
    let ofController = this.routeAccess.get(controller);
    if (!ofController) this.routeAccess.set(controller, (ofController = new WeakMap()));
    let access = ofController.get(handler);
    if (!access) {
      const targets = [handler, controller];
      access = {
        isPublic: !!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets),
        allowsPendingPasswordChange: !!this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_CHANGE, targets),
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      ofController.set(handler, access);
    }
    return access;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const access = this.accessOf(context);
    if (access.isPublic) return true;
    const req = context.switchToHttp().getRequest();
    const header: unknown = req.headers?.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
    if (!match) throw unauthorized('Missing bearer token', '请先登录');
    if (API_KEY_PATTERN.test(match[1])) return this.byApiKey(match[1]).then((found) => this.admit(req, access, found));
    // The usual request: a token already verified, its account's state read within the last
    // seconds: decided here and now, without a promise (Nest awaits a guard's answer either way).
    const claims = this.claimsOf(match[1]);
    const account = this.accounts.fresh(claims.sub);
    if (account !== undefined) return this.admit(req, access, this.standsFor(claims, account));
    return this.accounts.account(claims.sub).then((read) => this.admit(req, access, this.standsFor(claims, read)));
  }

  private admit(req: { user?: AuthUser }, access: RouteAccess, { user, mustChangePassword }: { user: AuthUser; mustChangePassword: boolean }): true {
    // Also read by the request's log line (src/logging/request-log.hook.ts).
    req.user = user;
    this.nameUserInLog(user);
    if (mustChangePassword && !access.allowsPendingPasswordChange) {
      throw new DomainError(ErrorCode.PasswordChangeRequired, PASSWORD_CHANGE_REQUIRED_MESSAGE, undefined, '密码已被重置，请先修改密码');
    }
    if (access.roles && !access.roles.includes(user.role)) throw forbidden('Not allowed for your role');
    return true;
  }

  /** Every later log line of this request names the user (the request's own line does so by itself). */
  private nameUserInLog(user: AuthUser): void {
    const fields = requestUserFields(user);
    if (bindToRequestLog(fields)) return;
    try {
      this.log?.assign(fields);
    } catch {
      // outside a request's logging context (nothing to name)
    }
  }

  /** The claims of a signed, unexpired token of the right shape (verified once, then from the cache), or a 401. */
  private claimsOf(token: string): JwtClaims {
    const known = this.verified.get(token);
    if (known) return known;
    let decoded: unknown;
    try {
      decoded = this.jwt.verify(token);
    } catch (e) {
      throw (e as Error).name === 'TokenExpiredError' ? unauthorized('Token expired', '登录已过期，请重新登录') : unauthorized('Invalid token', '请先登录');
    }
    if (!validClaims(decoded)) throw unauthorized('Invalid token', '请先登录');
    this.verified.set(token, decoded);
    return decoded;
  }

  /** The token still stands for the account as it is now, or a 401. */
  private standsFor(claims: JwtClaims, account: AccountState | null): { user: AuthUser; mustChangePassword: boolean } {
    if (!tokenMatchesAccount(claims, account)) throw unauthorized('Token revoked: log in again');
    return { user: toAuthUser(account), mustChangePassword: account.mustChangePassword };
  }

  private async byApiKey(key: string): Promise<{ user: AuthUser; mustChangePassword: boolean }> {
    const found = await this.accounts.apiKey(key);
    if (!found || !found.account.active || found.account.kind !== 'service') throw unauthorized('Invalid or revoked API key', 'API 密钥无效或已吊销');
    // Object.assign, not `{ ...toAuthUser(...), workstationIds }`: on node 20 that spread makes a
    // hidden class of its own on every call (issue 17, src/cases/cases.service.ts).
    return { user: Object.assign(toAuthUser(found.account), { workstationIds: found.workstationIds }), mustChangePassword: false };
  }
}

function toAuthUser(a: AccountState): AuthUser {
  return { id: a.id, username: a.username, role: a.role, workstationId: a.workstationId, displayName: a.displayName, kind: a.kind };
}
