import { DynamicModule, Module, Type } from '@nestjs/common';
import { AgreementsModule } from './agreements/agreements.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { ConfirmationsModule } from './confirmations/confirmations.module';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DocumentsModule } from './documents/documents.module';
import { HealthModule } from './health/health.module';
import { HeavyReadsModule } from './heavy-reads/heavy-reads.module';
import { IdempotencyModule, IdempotencyWorkerModule } from './idempotency/idempotency.module';
import { HolidaysModule } from './holidays/holidays.module';
import { LabelsModule } from './labels/labels.module';
import { ConsultationsModule } from './consultations/consultations.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProcessMemoryModule } from './process-memory/process-memory.module';
import { NotificationsModule } from './notifications/notifications.module';
import { QueueBoardModule } from './queue/queue-board.module';
import { QueueWorkerModule } from './queue/queue-worker.module';
import { QueueModule } from './queue/queue.module';
import { RedisModule } from './redis/redis.module';
import { RemindersWorkerModule } from './reminders/reminders-worker.module';
import { RetentionModule } from './retention/retention.module';
import { RemindersModule } from './reminders/reminders.module';
import { ServiceAccountsModule } from './service-accounts/service-accounts.module';
import { SessionsModule } from './sessions/sessions.module';
import { StatsWorkerModule } from './stats/stats-worker.module';
import { StatsModule } from './stats/stats.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule, WebhooksWorkerModule } from './webhooks/webhooks.module';
import { WorkstationsModule } from './workstations/workstations.module';

export interface AppModuleOptions {
  /** Serve the HTTP API (controllers). */
  api: boolean;
  /** Run the BullMQ workers and job schedulers in this process. */
  workers: boolean;
  /** Settings that take precedence over process.env (tests). */
  env?: Record<string, string | undefined>;
  /** Replaces the system clock (the demo seed). */
  clock?: Clock;
}

/** Infrastructure every process needs. */
const CORE_MODULES: Type[] = [LoggingModule, DatabaseModule, RedisModule, QueueModule, ProcessMemoryModule];
/** The domain: one module per part. */
const DOMAIN_MODULES: Type[] = [
  MetricsModule,
  HeavyReadsModule,
  AuditModule,
  AuthModule,
  UsersModule,
  WorkstationsModule,
  ServiceAccountsModule,
  HealthModule,
  LabelsModule,
  HolidaysModule,
  StatsModule,
  CasesModule,
  ConsultationsModule,
  SessionsModule,
  AgreementsModule,
  ConfirmationsModule,
  RemindersModule,
  NotificationsModule,
  QueueBoardModule,
  WebhooksModule,
  IdempotencyModule,
  DocumentsModule,
  AttachmentsModule,
];
/** BullMQ processors and schedulers, loaded only where workers run. */
const WORKER_MODULES: Type[] = [StatsWorkerModule, RemindersWorkerModule, WebhooksWorkerModule, IdempotencyWorkerModule, RetentionModule, QueueWorkerModule];

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(options.env), CommonModule.forRoot(options.clock), ...CORE_MODULES, ...DOMAIN_MODULES, ...(options.workers ? WORKER_MODULES : [])],
    };
  }
}
