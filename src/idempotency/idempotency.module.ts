import { Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';

/** The Idempotency-Key interceptor, for every route marked @Idempotent(). */
@Module({ providers: [IdempotencyRepository, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }], exports: [IdempotencyRepository] })
export class IdempotencyModule {}

const PURGE_EVERY_MS = 3600_000;

/** Deletes the keys past their 24 hours, hourly (worker side). */
@Injectable()
export class ExpiredIdempotencyKeysPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ExpiredIdempotencyKeysPurger.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly keys: IdempotencyRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.keys.deleteExpired().catch((e) => this.logger.warn(`purging idempotency keys failed: ${(e as Error).message}`)), PURGE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}

@Module({ providers: [IdempotencyRepository, ExpiredIdempotencyKeysPurger] })
export class IdempotencyWorkerModule {}
