import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, BullBoardModuleOptions } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, Response } from 'express';
import { JwtClaims } from '../auth/auth-user';
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

function deny(res: Response, statusCode: 401 | 403, message: string): void {
  res.status(statusCode).json({ statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden', message });
}

/**
 * The board is a browser page: the admin's JWT comes as a bearer header, an `access_token`
 * cookie, or once as an `access_token` query parameter (then kept in an HttpOnly cookie scoped to
 * the board, so that the page's own API calls carry it). Anyone else gets 401 or 403.
 */
export function adminOnly(jwt: JwtService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)?.[1] : undefined;
    const fromQuery = new URL(req.originalUrl ?? req.url, 'http://board.local').searchParams.get(TOKEN_COOKIE) ?? undefined;
    const token = bearer ?? fromQuery ?? cookieToken(req);
    if (!token) return deny(res, 401, 'Missing token');
    let claims: JwtClaims & { exp?: number };
    try {
      claims = jwt.verify<JwtClaims & { exp?: number }>(token);
    } catch {
      return deny(res, 401, 'Invalid token');
    }
    if (claims.role !== Role.Admin) return deny(res, 403, 'The queue board is for admins only');
    if (token === fromQuery && !bearer) {
      const maxAge = claims.exp ? Math.max(0, claims.exp * 1000 - Date.now()) : undefined;
      res.cookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: QUEUE_BOARD_ROUTE, maxAge });
    }
    next();
  };
}

/** Bull Board at /admin/queues over every queue of the product, for admins only. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [JwtService],
      useFactory: (jwt: JwtService) => ({
        route: QUEUE_BOARD_ROUTE,
        // @bull-board/express carries its own copy of @bull-board/api's types (one patch version apart).
        adapter: ExpressAdapter as unknown as BullBoardModuleOptions['adapter'],
        middleware: adminOnly(jwt),
        boardOptions: { uiConfig: { boardTitle: '调解案件 · 队列' } },
      }),
    }),
    BullBoardModule.forFeature(...Object.values(QueueName).map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class QueueBoardModule {}
