import { INestApplication, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createAdapter } from '../../src/bootstrap';
import { Clock } from '../../src/common/clock';
import { dbUrl, runId, templateDbName, TEST_PG_URL, TEST_REDIS_URL } from '../setup/test-env';
import { FakeClock } from './fake-clock';

export interface TestAppOptions {
  /** Run BullMQ workers in the app (default true). */
  workers?: boolean;
  /** Reuse a database made by an earlier `createTestApp` (a restart), instead of a fresh one. */
  database?: string;
  /** Reuse a queue prefix (a restart). */
  queuePrefix?: string;
  redisUrl?: string;
  clock?: FakeClock;
  env?: Record<string, string>;
  /** Replace providers, e.g. the notification sender. */
  overrides?: Array<{ provide: Type | string | symbol; useValue: unknown }>;
}

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  db: DataSource;
  clock: FakeClock;
  database: string;
  queuePrefix: string;
  close(): Promise<void>;
}

/** A fresh database cloned from the run's migrated template. */
export async function createTestDatabase(): Promise<string> {
  const name = `mt_${runId()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDbName(runId())}"`);
  } finally {
    await admin.end();
  }
  return name;
}

/** The real app (real PostgreSQL and Redis) in its own database and queue prefix, with a movable clock. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const queuePrefix = options.queuePrefix ?? `mt:${runId()}:${randomBytes(4).toString('hex')}`;
  const clock = options.clock ?? new FakeClock();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl(database),
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
    DB_POOL_SIZE: '10',
    JWT_SECRET: 'test-secret-0123456789abcdef',
    ...options.env,
  };
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot({ api: true, workers: options.workers ?? true, env })] })
    .overrideProvider(Clock)
    .useValue(clock);
  for (const o of options.overrides ?? []) builder = builder.overrideProvider(o.provide).useValue(o.useValue);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(env.TRUSTED_PROXIES ?? ''), { logger: false });
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = app.get(DataSource);
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    clock,
    database,
    queuePrefix,
    close: () => app.close(),
  };
}
