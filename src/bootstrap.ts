import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { InputSafetyPipe } from './common/input-safety.pipe';
import { createValidationPipe } from './common/validation';
import { AppConfigService } from './config/app-config.service';
import { trustProxySetting, validateEnv } from './config/env.validation';
import { securityHeaders } from './security-headers';
import { webAppHandler } from './dashboard/web-app';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = '256kb';

/** Everything main.ts and the end-to-end tests share: prefix, pipes, error shape, body limit, docs. */
export function configureApp(app: NestExpressApplication): void {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'dashboard', method: RequestMethod.ALL },
      { path: 'dashboard/{*path}', method: RequestMethod.ALL },
      { path: 'admin/{*path}', method: RequestMethod.ALL },
    ],
  });
  // Security headers first, so that the web application's files carry them too (it sets its own,
  // stricter content security policy over helmet's).
  app.use(securityHeaders());
  // The web application at `/` (index.html for its page paths); every API path passes through.
  app.use(webAppHandler());
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.useGlobalPipes(new InputSafetyPipe(), createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  // Forwarding headers only from the configured proxies: otherwise anyone picks their address.
  app.set('trust proxy', trustProxySetting(app.get(AppConfigService).get('TRUSTED_PROXIES')));
  app.disable('x-powered-by');

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
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ ...options, workers: options.workers && config.WORKERS === 'all' }), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app);
  return app;
}
