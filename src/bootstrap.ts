import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { InputSafetyPipe } from './common/input-safety.pipe';
import { createValidationPipe } from './common/validation';
import { trustProxySetting, validateEnv } from './config/env.validation';
import { apiNoStore, SECURITY_HEADERS } from './security-headers';
import { webAppHook } from './dashboard/web-app';
import { HttpMetricsHook } from './metrics/http-metrics.hook';
import { InteractiveRequests } from './heavy-reads/interactive-requests';
import { RequestLogHook } from './logging/request-log.hook';
import { IdentityViewAudit } from './audit/identity-view-audit';
import { IdempotencyHooks } from './idempotency/idempotency-hooks';
import { utf8Answers } from './common/utf8-answers';
import { jsonBytesAnswers } from './common/json-bytes';
import { STATS_TIMESERIES_SCHEMA } from './stats/dto/stats-answer.schema';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT_BYTES = 256 * 1024;
/**
 * Idle keep-alive connections stay open longer than a reverse proxy's or client pool's usual
 * 60 s, so that the other side closes them: were the app to close first, it would do so just as
 * the client reuses the socket, and that request would fail (ECONNRESET / a proxy's 502).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * The HTTP platform: Fastify (issue 17: Express alone cost about 130 µs of CPU per request).
 * Forwarding headers are read only from the configured proxies (otherwise anyone picks their
 * address). Prototype keys in JSON are let through to InputSafetyPipe, which names the field.
 */
export function createAdapter(trustedProxies: string): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxySetting(trustedProxies) || false,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
  });
}

/** Everything main.ts and the end-to-end tests share: prefix, pipes, error shape, body limit, docs. */
export function configureApp(app: NestFastifyApplication): void {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // First of all hooks: every answer carries its X-Request-Id, every request gets its log line.
  app.get(RequestLogHook).register(fastify);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'admin/{*path}', method: RequestMethod.ALL },
    ],
  });
  // On every response, the web application's files and errors included (its files set their own,
  // stricter content security policy over this one).
  app.useSecurityHeaders(SECURITY_HEADERS);
  fastify.addHook('onRequest', apiNoStore);
  // The web application at `/` (index.html for its page paths); every API path passes through.
  fastify.addHook('onRequest', webAppHook());
  app.get(HttpMetricsHook).register(fastify);
  // The hooks of the @Idempotent() routes (given to them as Nest registers them, at init), and the
  // answer under an Idempotency-Key stored before the identity audit sees it (an answer whose
  // audit record fails is still the answer of a change that was made).
  app.get(IdempotencyHooks).register(fastify);
  // Answers that show a whole identity number are recorded before they are sent.
  app.get(IdentityViewAudit).register(fastify);
  // The requests in flight that exports and searches yield to (src/heavy-reads/interactive-requests.ts).
  app.get(InteractiveRequests).register(fastify);
  // Large GET answers written as UTF-8 bytes: one copy of the page on V8's heap instead of two.
  utf8Answers(fastify);
  // The statistics timeseries written straight into bytes (src/common/json-bytes.ts).
  jsonBytesAnswers(fastify, [STATS_TIMESERIES_SCHEMA]);
  // Attachments are read as they arrive (src/attachments/multipart-upload.ts), not buffered here.
  fastify.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null, undefined));
  app.useGlobalPipes(new InputSafetyPipe(), createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());

  const doc = new DocumentBuilder()
    .setTitle('Labor-dispute mediation case tracker')
    .setDescription('法院+工会 劳动争议诉调对接工作室: cases, sessions, agreements, judicial confirmation, reminders, statistics')
    .setVersion('1')
    .addServer('/', 'this server (the API paths carry their /api/v1 prefix)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'the accessToken of POST /api/v1/auth/login' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
}

export async function createApp(options = { api: true, workers: true }): Promise<INestApplication> {
  const config = validateEnv(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ ...options, workers: options.workers && config.WORKERS === 'all' }),
    createAdapter(config.TRUSTED_PROXIES),
    { bufferLogs: true },
  );
  configureApp(app);
  return app;
}
