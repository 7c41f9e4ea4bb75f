import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MemoryTrimFigures, MemoryTrimService } from '../process-memory/memory-trim.service';
import { QueueName } from '../queue/queue-names';
import { MetricsRepository, OutboxFigures } from './metrics.repository';

const JOB_STATES = ['waiting', 'delayed', 'active', 'failed', 'completed'] as const;

/**
 * The Prometheus registry of one app instance (its own, not prom-client's global one, so that
 * several apps in one test process do not collide). Request latency is observed by the HTTP
 * middleware; pool, outbox and queue figures are read when scraped.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    private readonly repository: MetricsRepository,
    private readonly moduleRef: ModuleRef,
    memoryTrim: MemoryTrimService,
  ) {
    // Process figures, the event loop lag among them (nodejs_eventloop_lag_seconds and its percentiles).
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    const pool = () => this.repository.pool();
    new Gauge({ name: 'db_pool_connections', help: 'PostgreSQL pool connections open', registers: [this.registry], collect() { this.set(pool().total); } });
    new Gauge({ name: 'db_pool_in_use', help: 'PostgreSQL pool connections in use', registers: [this.registry], collect() { const p = pool(); this.set(p.total - p.idle); } });
    new Gauge({ name: 'db_pool_waiting', help: 'Requests waiting for a PostgreSQL connection', registers: [this.registry], collect() { this.set(pool().waiting); } });

    // Several gauges show one reading (the outbox row counts, the queue counts); a reading is shared
    // by the gauges of one scrape, so each scrape queries the database and each queue once.
    const outboxReading = sharedReading(() => this.repository.outboxes());
    const queueReading = sharedReading(() => this.readQueues());
    const outboxGauge = (name: string, help: string, pick: (r: OutboxFigures) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['outbox'],
        registers: [this.registry],
        async collect() {
          const r = await outboxReading();
          if (r) for (const outbox of ['reminders', 'webhooks'] as const) this.set({ outbox }, pick(r[outbox]));
        },
      });
    outboxGauge('outbox_pending', 'Outbox rows not yet on the queue', (r) => r.pending);
    outboxGauge('outbox_oldest_pending_seconds', 'Age of the oldest outbox row not yet on the queue', (r) => r.oldestPendingSeconds);
    outboxGauge('outbox_overdue', 'Queued outbox rows past their time and not yet delivered', (r) => r.overdue);
    new Gauge({
      name: 'metrics_scrape_database_ok',
      help: '1 when the outbox figures could be read at this scrape',
      registers: [this.registry],
      async collect() {
        this.set((await outboxReading()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'bullmq_queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const q of (await queueReading()) ?? []) if (q.counts) for (const state of JOB_STATES) this.set({ queue: q.name, state }, q.counts[state] ?? 0);
      },
    });
    new Gauge({
      name: 'bullmq_queue_reachable',
      help: '1 when the queue answered this scrape',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        for (const q of (await queueReading()) ?? []) this.set({ queue: q.name }, q.counts ? 1 : 0);
      },
    });

    const trimCounter = (name: string, help: string, pick: (f: MemoryTrimFigures) => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(pick(memoryTrim.current()));
        },
      });
    trimCounter('process_malloc_trims_total', 'Times freed malloc memory was handed back to the kernel', (f) => f.trims);
    trimCounter('process_malloc_trim_released_bytes_total', 'Resident memory those trims gave back', (f) => f.releasedBytes);
    trimCounter('process_malloc_trim_seconds_total', 'Main-thread time spent in malloc_trim', (f) => f.seconds);
  }

  private async readQueues(): Promise<Array<{ name: string; counts: Record<string, number> | null }>> {
    return Promise.all(
      Object.values(QueueName).map(async (name) => {
        const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
        try {
          // A scrape while Redis is away must not hang: one second per queue at most.
          const counts = await Promise.race([
            queue.getJobCounts(...JOB_STATES),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref()),
          ]);
          return { name, counts };
        } catch (e) {
          this.logger.debug(`queue ${name} figures: ${(e as Error).message}`);
          return { name, counts: null };
        }
      }),
    );
  }
}

/** One reading shared by the calls of the next second (one scrape); a failed reading is null. */
function sharedReading<T>(read: () => Promise<T>): () => Promise<T | null> {
  let current: { at: number; value: Promise<T | null> } | undefined;
  return () => {
    const now = Date.now();
    if (!current || now - current.at > 1000) current = { at: now, value: read().catch(() => null) };
    return current.value;
  };
}
