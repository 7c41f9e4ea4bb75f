import { Module } from '@nestjs/common';
import { HttpMetricsHook } from './http-metrics.hook';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

/** Prometheus figures for operators: request latency, database pool, outbox, queues, event loop. */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsRepository, HttpMetricsHook],
  exports: [MetricsService, HttpMetricsHook],
})
export class MetricsModule {}
