import { Module, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { levels, type DestinationStream } from 'pino';
import { AuthUser } from '../accounts-core/auth-user';
import { AppConfigService } from '../config/app-config.service';
import { redactText, redactValue } from './redact';

/** Where log lines go: stdout unless a test provides a stream (to grep what was logged). */
export const LOG_STREAM = Symbol('LOG_STREAM');

/** Who made the request, on every request's log line ("anonymous" before or without a login). */
export function requestUserFields(user: AuthUser | undefined) {
  return user ? { userId: user.id, user: user.username } : { userId: null, user: 'anonymous' };
}

/**
 * Structured JSON logs; every request carries a request id (taken from X-Request-Id or made) and
 * the user. Every line goes through the redacting serializer (src/logging/redact.ts).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_STREAM, useValue: null }],
      inject: [AppConfigService, LOG_STREAM],
      useFactory: (config: AppConfigService, stream: DestinationStream | null) => {
        const lowest = levels.values[config.get('LOG_LEVEL')] ?? 0;
        // Below the configured level the request's line is not written: 'silent' tells pino-http
        // so before it builds the line (a child logger and the objects of the line, per request).
        const unlessBelowLevel = (level: 'info' | 'warn' | 'error') => (levels.values[level] >= lowest ? level : 'silent');
        const options = {
          level: config.get('LOG_LEVEL'),
          genReqId: (req: IncomingMessage, res: import('node:http').ServerResponse) => {
            const incoming = req.headers['x-request-id'];
            const id = typeof incoming === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(incoming) ? incoming : randomUUID();
            res.setHeader('X-Request-Id', id);
            return id;
          },
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[REDACTED]' },
          // A 503 is a dependency away (already logged once as such), not a bug.
          customLogLevel: (_req: IncomingMessage, res: import('node:http').ServerResponse, err?: Error) =>
            unlessBelowLevel(res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
          // Called when the request starts (nothing yet: the guard has not run; undefined spares a child logger) and when it
          // finishes (the user, or "anonymous").
          customProps: (req: IncomingMessage, res: import('node:http').ServerResponse) =>
            res.headersSent ? requestUserFields((req as IncomingMessage & { user?: AuthUser }).user) : undefined,
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactText(req.url ?? '') }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          hooks: {
            // Every argument of every log call: messages, objects, errors.
            logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
              method.apply(this, args.map((a) => redactValue(a)));
            },
          },
        };
        return {
          // Every route once: nestjs-pino's default adds the prefix-excluded paths a second time.
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: stream ? [options, stream] : options,
        } as never;
      },
    }),
  ],
})
export class LoggingModule {}
