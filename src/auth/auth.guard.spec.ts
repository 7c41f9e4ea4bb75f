import 'reflect-metadata';
import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccountState, AccountStateRepository } from '../accounts-core/account-state.repository';
import { AccountStateService } from '../accounts-core/account-state.service';
import { Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ErrorCode } from '../common/errors/domain-error';
import { AuthGuard } from './auth.guard';

const SUB = '0f6e0000-0000-4000-8000-000000000001';

class Controller {
  any() {}
  @Roles(Role.Admin)
  adminOnly() {}
}

/** The guard as Nest runs it: whatever canActivate returns, awaited. */
describe('AuthGuard (a cached account decides at once; the revocation check is the same)', () => {
  const jwt = new JwtService({ secret: 'guard-spec-secret-0123456789abcdef0123', signOptions: { expiresIn: '1h' } });
  let account: AccountState;
  let reads: number;
  let guard: AuthGuard;
  let accounts: AccountStateService;

  const context = (token: string, handler: () => void) => {
    const req: { headers: Record<string, string>; user?: unknown } = { headers: { authorization: `Bearer ${token}` } };
    const ctx = { getClass: () => Controller, getHandler: () => handler, switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
    return { ctx, req };
  };
  const run = async (token: string, handler = Controller.prototype.any) => {
    const { ctx, req } = context(token, handler);
    return { result: await guard.canActivate(ctx), req };
  };
  const token = (claims: object = {}) => jwt.sign({ sub: SUB, role: 'mediator', ws: null, tv: 3, ...claims });

  beforeEach(() => {
    reads = 0;
    account = { id: SUB, username: 'med', role: Role.Mediator, workstationId: null, displayName: 'M', kind: 'person', active: true, tokenVersion: 3, mustChangePassword: false } as AccountState;
    accounts = new AccountStateService({
      findAccount: async () => {
        reads++;
        return account && { ...account };
      },
    } as unknown as AccountStateRepository);
    guard = new AuthGuard(new Reflector(), jwt, accounts);
  });

  it('reads the account once, then admits from the cache without a promise, naming the user', async () => {
    const t = token();
    const first = await run(t);
    expect(first.result).toBe(true);
    expect(reads).toBe(1);
    const { ctx, req } = context(t, Controller.prototype.any);
    expect(guard.canActivate(ctx)).toBe(true); // not a promise: decided from the cached state
    expect(reads).toBe(1);
    expect(req.user).toMatchObject({ id: SUB, username: 'med', role: Role.Mediator });
  });

  it('refuses from the cache as from a read: a revoked token (the account changed through this instance), a role not allowed, a pending password change', async () => {
    const t = token();
    await run(t);
    account = { ...account, tokenVersion: 4 };
    accounts.invalidate(SUB);
    await expect(run(t)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    // and again, now from the cache (read once more after the invalidation)
    expect(() => guard.canActivate(context(t, Controller.prototype.any).ctx)).toThrow(expect.objectContaining({ code: ErrorCode.Unauthorized }));
    expect(reads).toBe(2);

    const fresh = token({ tv: 4 });
    await expect(run(fresh, Controller.prototype.adminOnly)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    account = { ...account, mustChangePassword: true };
    accounts.invalidate(SUB);
    await expect(run(fresh)).rejects.toMatchObject({ code: ErrorCode.PasswordChangeRequired });
    expect(() => guard.canActivate(context(fresh, Controller.prototype.any).ctx)).toThrow(expect.objectContaining({ code: ErrorCode.PasswordChangeRequired }));
  });

  it('refuses a bad or missing token with a 401 before reading anything', async () => {
    await expect(run('not.a.jwt')).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    await expect(run(new JwtService({ secret: 'another-secret-0123456789abcdef0123456' }).sign({ sub: SUB, role: 'mediator', ws: null, tv: 3 }))).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    const { ctx } = context('', Controller.prototype.any);
    (ctx.switchToHttp().getRequest() as { headers: object }).headers = {};
    expect(() => guard.canActivate(ctx)).toThrow(expect.objectContaining({ code: ErrorCode.Unauthorized }));
    expect(reads).toBe(0);
  });
});
