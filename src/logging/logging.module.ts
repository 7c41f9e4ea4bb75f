import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfigService } from '../config/app-config.service';
import { redactText, redactValue } from './redact';
import { RequestLogHook } from './request-log.hook';

/** Where log lines go: stdout unless a test provides a stream (to grep what was logged). */
export const LOG_STREAM = Symbol('LOG_STREAM');

/**
 * Structured JSON logs; every request carries a request id (taken from X-Request-Id or made) and
 * the user. Every line goes through the redacting serializer (src/logging/redact.ts).
 * The requests' ids, contexts and lines come from Fastify hooks (src/logging/request-log.hook.ts):
 * pino-http is only the factory of the root logger here, not a middleware.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_STREAM, useValue: null }],
      inject: [AppConfigService, LOG_STREAM],
      useFactory: (config: AppConfigService, stream: DestinationStream | null) => {
        const options = {
          level: config.get('LOG_LEVEL'),
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[REDACTED]' },
          // The request log binds plain { id, method, url } objects (not Node requests): no wrapping serializer needed.
          wrapSerializers: false,
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
          // No middleware: RequestLogHook does a request's logging from Fastify hooks.
          forRoutes: [],
          pinoHttp: stream ? [options, stream] : options,
        } as never;
      },
    }),
  ],
  providers: [RequestLogHook],
  exports: [RequestLogHook],
})
export class LoggingModule {}
