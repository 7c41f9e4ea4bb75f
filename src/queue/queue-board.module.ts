import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, BullBoardModuleOptions } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, Response } from 'express';
import { AccountStateService } from '../auth/account-state.service';
import { tokenMatchesAccount, validClaims } from '../auth/auth.guard';
import { Role } from '../auth/role.enum';
import { QueueName } from './queue-names';

/** Outside the /api/v1 prefix (bootstrap.ts excludes `admin/{*path}`). */
export const QUEUE_BOARD_ROUTE = '/admin/queues';
const TOKEN_COOKIE = 'access_token';

function cookieToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function deny(res: Response, statusCode: 401 | 403, message: string, messageZh: string): void {
  res.status(statusCode).json({ statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden', message, messageZh });
}

/** The admin an access token stands for now (revocation checked as the API's guard does), or why not. */
async function adminFor(jwt: JwtService, accounts: AccountStateService, token: string): Promise<{ ok: true; exp?: number } | { ok: false; status: 401 | 403 }> {
  let claims: unknown;
  try {
    claims = jwt.verify(token);
  } catch {
    return { ok: false, status: 401 };
  }
  if (!validClaims(claims)) return { ok: false, status: 401 };
  const account = await accounts.account(claims.sub);
  if (!tokenMatchesAccount(claims, account) || account.mustChangePassword) return { ok: false, status: 401 };
  if (account.role !== Role.Admin) return { ok: false, status: 403 };
  return { ok: true, exp: (claims as { exp?: number }).exp };
}

/**
 * The board is a browser page. The admin's JWT comes as a bearer header or as an HttpOnly
 * cookie scoped to the board, which `POST /admin/queues/session` sets (with the token in the
 * Authorization header or a JSON body `{ "token": "…" }`) and `DELETE` clears. A token in a URL
 * is never read (URLs end up in logs and browser history). Anyone else gets 401 or 403.
 */
export function adminOnly(jwt: JwtService, accounts: AccountStateService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // The board is an Express sub-application, which would add its own X-Powered-By.
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: unknown) => (name.toLowerCase() === 'x-powered-by' ? res : setHeader(name, value as string))) as typeof res.setHeader;
    const path = (req.originalUrl ?? req.url).split('?')[0].replace(/\/+$/, '');
    if (path === `${QUEUE_BOARD_ROUTE}/session`) {
      void session(jwt, accounts, req, res);
      return;
    }
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)?.[1] : undefined;
    const token = bearer ?? cookieToken(req);
    if (!token) return deny(res, 401, 'Missing token', '请先登录');
    adminFor(jwt, accounts, token).then(
      (who) => {
        if (who.ok) return next();
        if (who.status === 403) return deny(res, 403, 'The queue board is for admins only', '队列面板仅限管理员');
        deny(res, 401, 'Invalid token', '登录已失效，请重新登录');
      },
      (e) => next(e),
    );
  };
}

async function session(jwt: JwtService, accounts: AccountStateService, req: Request, res: Response): Promise<void> {
  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure: req.secure, path: QUEUE_BOARD_ROUTE };
  if (req.method === 'DELETE') {
    res.clearCookie(TOKEN_COOKIE, cookieOptions);
    res.status(204).end();
    return;
  }
  if (req.method !== 'POST') return deny(res, 401, 'Use POST', '请先登录');
  const header = req.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)?.[1] : undefined;
  const bodyToken = (req.body as { token?: unknown } | undefined)?.token;
  const token = bearer ?? (typeof bodyToken === 'string' && /^[A-Za-z0-9._-]{1,4096}$/.test(bodyToken) ? bodyToken : undefined);
  if (!token) return deny(res, 401, 'Missing token', '请先登录');
  try {
    const who = await adminFor(jwt, accounts, token);
    if (!who.ok) return who.status === 403 ? deny(res, 403, 'The queue board is for admins only', '队列面板仅限管理员') : deny(res, 401, 'Invalid token', '登录已失效，请重新登录');
    const maxAge = who.exp ? Math.max(0, who.exp * 1000 - Date.now()) : undefined;
    res.cookie(TOKEN_COOKIE, token, { ...cookieOptions, maxAge });
    res.setHeader('Cache-Control', 'no-store');
    res.status(204).end();
  } catch {
    res.status(503).setHeader('Retry-After', '5');
    res.json({ statusCode: 503, error: 'Service Unavailable', message: 'Try again shortly', messageZh: '服务暂时不可用，请稍后重试' });
  }
}

/** Bull Board at /admin/queues over every queue of the product, for admins only. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [JwtService, AccountStateService],
      useFactory: (jwt: JwtService, accounts: AccountStateService) => ({
        route: QUEUE_BOARD_ROUTE,
        // @bull-board/express carries its own copy of @bull-board/api's types (one patch version apart).
        adapter: ExpressAdapter as unknown as BullBoardModuleOptions['adapter'],
        middleware: adminOnly(jwt, accounts),
        boardOptions: { uiConfig: { boardTitle: '调解案件 · 队列' } },
      }),
    }),
    BullBoardModule.forFeature(...Object.values(QueueName).map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class QueueBoardModule {}
