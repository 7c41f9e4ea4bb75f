import { Global, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { IdempotencyHooks } from './idempotency-hooks';
import { IdempotencyRepository } from './idempotency.repository';

/**
 * The keys of Idempotency-Key, which every route marked @Idempotent() honours through a guard of
 * its own (src/idempotency/idempotent.decorator.ts): global, so that the module of any such route
 * can build the guard. IdempotencyHooks are registered by bootstrap.
 */
@Global()
@Module({ providers: [IdempotencyRepository, IdempotencyHooks], exports: [IdempotencyRepository, IdempotencyHooks] })
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
