import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule, BullBoardModuleOptions } from '@bull-board/nestjs';
import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { errorCodes } from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountStateService } from '../accounts-core/account-state.service';
import { tokenMatchesAccount, validClaims } from '../auth/auth.guard';
import { Role } from '../accounts-core/role.enum';
import { QueueName } from './queue-names';

/** Outside the /api/v1 prefix (bootstrap.ts excludes `admin/{*path}`). */
export const QUEUE_BOARD_ROUTE = '/admin/queues';
const SESSION_ROUTE = `${QUEUE_BOARD_ROUTE}/session`;
const TOKEN_COOKIE = 'access_token';

function cookieToken(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function deny(res: FastifyReply, statusCode: 401 | 403, message: string, messageZh: string): FastifyReply {
  return res.code(statusCode).send({ statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden', message, messageZh });
}

/** The board's cookie: HttpOnly, same-site, scoped to the board; expires with the token (or at once, to clear it). */
function tokenCookie(value: string, secure: boolean, maxAgeMs: number | undefined): string {
  const parts = [`${TOKEN_COOKIE}=${encodeURIComponent(value)}`, `Path=${QUEUE_BOARD_ROUTE}`];
  if (maxAgeMs !== undefined) parts.push(`Max-Age=${Math.floor(maxAgeMs / 1000)}`, `Expires=${new Date(Date.now() + maxAgeMs).toUTCString()}`);
  parts.push('HttpOnly');
  if (secure) parts.push('Secure');
  parts.push('SameSite=Strict');
  return parts.join('; ');
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
 * A Fastify request hook (before the board's own routes, and for paths none of them matches).
 */
export function adminOnly(jwt: JwtService, accounts: AccountStateService) {
  return async (req: FastifyRequest, res: FastifyReply): Promise<FastifyReply | undefined> => {
    const query = req.url.indexOf('?');
    const path = (query < 0 ? req.url : req.url.slice(0, query)).replace(/\/+$/, '');
    if (path !== QUEUE_BOARD_ROUTE && !path.startsWith(`${QUEUE_BOARD_ROUTE}/`)) return undefined;
    if (path === SESSION_ROUTE) return undefined; // its own route (it reads a body)
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)?.[1] : undefined;
    const token = bearer ?? cookieToken(req);
    if (!token) return deny(res, 401, 'Missing token', '请先登录');
    const who = await adminFor(jwt, accounts, token);
    if (who.ok) return undefined;
    if (who.status === 403) return deny(res, 403, 'The queue board is for admins only', '队列面板仅限管理员');
    return deny(res, 401, 'Invalid token', '登录已失效，请重新登录');
  };
}

/**
 * adminOnly as the Fastify request hook: a request outside the board goes on at once (every path
 * adminOnly lets through unread starts otherwise), without the promise and microtask hop of an
 * async hook on every request of the API (issue 17); the board's own go through adminOnly.
 */
export function adminOnlyHook(jwt: JwtService, accounts: AccountStateService) {
  const check = adminOnly(jwt, accounts);
  return (req: FastifyRequest, res: FastifyReply, done: (err?: Error) => void): void => {
    if (!req.url.startsWith(QUEUE_BOARD_ROUTE)) return done();
    // As Fastify runs an async hook: on to the next hook once settled (a denial has answered), a rejection is the error.
    check(req, res).then(
      () => done(),
      (e: unknown) => done((e as Error) || new errorCodes.FST_ERR_SEND_UNDEFINED_ERR()),
    );
  };
}

async function session(jwt: JwtService, accounts: AccountStateService, req: FastifyRequest, res: FastifyReply): Promise<FastifyReply> {
  const secure = req.protocol === 'https';
  if (req.method === 'DELETE') return res.code(204).header('Set-Cookie', tokenCookie('', secure, 0)).send();
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
    return res.code(204).header('Set-Cookie', tokenCookie(token, secure, maxAge)).header('Cache-Control', 'no-store').send();
  } catch {
    return res
      .code(503)
      .header('Retry-After', '5')
      .send({ statusCode: 503, error: 'Service Unavailable', message: 'Try again shortly', messageZh: '服务暂时不可用，请稍后重试' });
  }
}

/** Bull Board at /admin/queues over every queue of the product, for admins only. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      useFactory: () => ({
        route: QUEUE_BOARD_ROUTE,
        // @bull-board/fastify carries its own copy of @bull-board/api's types (one patch version apart).
        adapter: FastifyAdapter as unknown as BullBoardModuleOptions['adapter'],
        boardOptions: { uiConfig: { boardTitle: '调解案件 · 队列' } },
      }),
    }),
    BullBoardModule.forFeature(...Object.values(QueueName).map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class QueueBoardModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly jwt: JwtService,
    private readonly accounts: AccountStateService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return; // no HTTP server (a worker process)
    fastify.addHook('onRequest', adminOnlyHook(this.jwt, this.accounts));
    fastify.route({ method: ['GET', 'POST', 'DELETE'], url: SESSION_ROUTE, handler: (req, res) => session(this.jwt, this.accounts, req, res) });
  }
}
