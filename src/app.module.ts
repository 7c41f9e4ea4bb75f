import { DynamicModule, Module, Type } from '@nestjs/common';
import { AgreementsModule } from './agreements/agreements.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { ConfirmationsModule } from './confirmations/confirmations.module';
import { CommonModule } from './common/common.module';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { QueueModule } from './queue/queue.module';
import { RedisModule } from './redis/redis.module';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';
import { WorkstationsModule } from './workstations/workstations.module';

export interface AppModuleOptions {
  /** Serve the HTTP API (controllers). */
  api: boolean;
  /** Run the BullMQ workers and job schedulers in this process. */
  workers: boolean;
  /** Settings that take precedence over process.env (tests). */
  env?: Record<string, string | undefined>;
}

/** Infrastructure every process needs. */
const CORE_MODULES: Type[] = [LoggingModule, CommonModule, DatabaseModule, RedisModule, QueueModule];
/** The domain: one module per part. */
const DOMAIN_MODULES: Type[] = [AuthModule, UsersModule, WorkstationsModule, HealthModule, CasesModule, SessionsModule, AgreementsModule, ConfirmationsModule];
/** BullMQ processors and schedulers, loaded only where workers run. */
const WORKER_MODULES: Type[] = [];

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(options.env), ...CORE_MODULES, ...DOMAIN_MODULES, ...(options.workers ? WORKER_MODULES : [])],
    };
  }
}
