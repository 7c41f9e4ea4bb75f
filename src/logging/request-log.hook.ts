import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AuthUser } from '../accounts-core/auth-user';
import { runInRequestLogContext } from './request-log-context';

/** Who made the request, on every request's log line ("anonymous" before or without a login). */
export function requestUserFields(user: AuthUser | undefined) {
  return user ? { userId: user.id, user: user.username } : { userId: null, user: 'anonymous' };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The client's X-Request-Id when it is a sane one, else a new id. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** The level of a request's line. A 503 is a dependency away (already logged once as such), not a bug. */
export function requestLogLevel(statusCode: number): 'info' | 'warn' | 'error' {
  return statusCode === 503 ? 'warn' : statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/** What a request's lines say about it (through the `req` serializer of src/logging, which redacts the url). */
interface RequestFields {
  id: string;
  method: string;
  url: string;
}

interface RequestLogState {
  req: RequestFields;
  res: ServerResponse;
  startedAt: number;
  written: boolean;
}

const STATE = Symbol('requestLog');
type LoggedRequest = FastifyRequest & { [STATE]?: RequestLogState; user?: AuthUser };

/**
 * Every request's id and log line, from Fastify hooks (issue 17: pino-http mounted as Nest
 * middleware through middie cost a child logger, a full request serialization and three
 * listeners per request, even when the line was below the level):
 * - onRequest: the id (from a sane X-Request-Id, else made) is answered as X-Request-Id, and the
 *   rest of the request runs in a logging context whose lines carry `req` (id, method, url);
 * - onResponse (or the client going away first): one line with the request, the user
 *   (or "anonymous"), the status code and the time taken, at the level of requestLogLevel.
 * Registered before every other hook, so that their answers carry the id too.
 */
@Injectable()
export class RequestLogHook {
  // Injected so that nestjs-pino has made its root logger (PinoLogger.root) before register().
  constructor(private readonly logger: PinoLogger) {}

  register(fastify: FastifyInstance): void {
    const root = PinoLogger.root as Logger;
    const writeLine = (request: LoggedRequest) => {
      const state = request[STATE];
      if (!state || state.written) return;
      state.written = true;
      const statusCode = state.res.statusCode;
      const level = requestLogLevel(statusCode);
      if (!root.isLevelEnabled(level)) return;
      const responseTime = Date.now() - state.startedAt;
      const who = requestUserFields(request.user);
      if (statusCode >= 500) {
        root[level]({ req: state.req, ...who, res: { statusCode }, err: new Error(`failed with status code ${statusCode}`), responseTime }, 'request errored');
      } else {
        root[level]({ req: state.req, ...who, res: { statusCode }, responseTime }, 'request completed');
      }
    };
    fastify.addHook('onRequest', (request: LoggedRequest, reply: FastifyReply, done: () => void) => {
      const id = requestIdFrom(request.headers['x-request-id']);
      reply.raw.setHeader('X-Request-Id', id);
      const req: RequestFields = { id, method: request.raw.method ?? '', url: request.raw.url ?? '' };
      request[STATE] = { req, res: reply.raw, startedAt: Date.now(), written: false };
      runInRequestLogContext(root, { req }, done);
    });
    fastify.addHook('onResponse', (request: LoggedRequest, _reply: FastifyReply, done: () => void) => {
      writeLine(request);
      done();
    });
    fastify.addHook('onRequestAbort', (request: LoggedRequest, done: () => void) => {
      writeLine(request);
      done();
    });
  }
}
