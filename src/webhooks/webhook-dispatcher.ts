import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { AppConfigService } from '../config/app-config.service';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { WebhooksRepository } from './webhooks.repository';

const BATCH = 500;
/** A Redis call that takes longer is given up (the next sweep tries again). */
const REDIS_TIMEOUT_MS = 5000;
/** Every enqueued row is put on the queue again this often, in case Redis lost its job. */
const RESYNC_EVERY_MS = 60_000;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

type RedisClient = Awaited<ReturnType<Queue['getBackend']>['client']>;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Moves the webhook outbox onto BullMQ, as the reminder dispatcher does for reminders: `pending`
 * rows become jobs whose id is the delivery's id (adding one twice is a no-op) and are marked
 * `enqueued`. At start, whenever Redis is back (a new connection or a restarted server, seen by
 * its run_id) and every minute, every `enqueued` row is added again, so that nothing Redis lost
 * stays undelivered. Retries with exponential backoff are BullMQ's (WEBHOOK_MAX_ATTEMPTS,
 * WEBHOOK_BACKOFF_MS); the last failed attempt leaves the row `dead`. Worker side only.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private redisUp = false;
  private lastRunId?: string;
  private lastResyncAt = 0;
  private watchedClient?: unknown;

  constructor(
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue<JobPayloads[JobName.DeliverWebhook]>,
    private readonly deliveries: WebhooksRepository,
    private readonly config: AppConfigService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.get('WEBHOOK_POLL_MS'));
    this.timer.unref();
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, REDIS_TIMEOUT_MS).unref())]);
  }

  /** One sweep at a time; a tick while one runs joins it. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) return this.running;
    const run = this.sweep()
      .catch((e) => {
        this.redisUp = false;
        this.logger.warn(`webhook outbox sweep failed: ${(e as Error).message}`);
      })
      .finally(() => {
        this.running = undefined;
      });
    this.running = run;
    return run;
  }

  private async sweep(): Promise<void> {
    const client = await this.readyClient();
    if (!client) {
      if (this.redisUp) this.logger.warn('Redis is unreachable: webhook deliveries wait in the outbox until it is back');
      this.redisUp = false;
      return;
    }
    const runId = await this.serverRunId(client);
    const resync = !this.redisUp || runId !== this.lastRunId || Date.now() - this.lastResyncAt > RESYNC_EVERY_MS;
    await this.enqueuePending();
    if (resync) {
      await this.reenqueueAll();
      this.lastResyncAt = Date.now();
    }
    this.lastRunId = runId;
    this.redisUp = true;
  }

  /** `pending` rows become jobs, oldest first, then are marked `enqueued`. Returns how many. */
  async enqueuePending(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.deliveries.pendingBatch(BATCH);
      if (!rows.length) return total;
      const ids = rows.map((r) => r.id);
      // A dead letter sent again: its failed job still holds the id, and adding would be a no-op.
      for (const r of rows.filter((x) => x.attempts > 0)) await this.removeFailedJob(r.id);
      await this.addJobs(ids);
      await this.deliveries.markEnqueued(ids, this.clock.now());
      total += ids.length;
      if (ids.length < BATCH) return total;
    }
  }

  /** Adds every `enqueued` row again (an existing job id makes it a no-op). */
  async reenqueueAll(): Promise<number> {
    let total = 0;
    let after = NIL_UUID;
    for (;;) {
      const ids = await this.deliveries.enqueuedBatch(after, BATCH);
      if (!ids.length) return total;
      await this.addJobs(ids);
      total += ids.length;
      after = ids[ids.length - 1];
      if (ids.length < BATCH) return total;
    }
  }

  private async removeFailedJob(id: string): Promise<void> {
    const job = await withTimeout(this.queue.getJob(id), REDIS_TIMEOUT_MS, 'get job');
    if (job && (await job.isFailed())) await withTimeout(job.remove(), REDIS_TIMEOUT_MS, 'remove job');
  }

  private async addJobs(ids: string[]): Promise<void> {
    const attempts = this.config.get('WEBHOOK_MAX_ATTEMPTS');
    const delay = this.config.get('WEBHOOK_BACKOFF_MS');
    await withTimeout(
      this.queue.addBulk(
        ids.map((id) => ({
          name: JobName.DeliverWebhook,
          data: { deliveryId: id },
          opts: { jobId: id, attempts, backoff: { type: 'exponential', delay }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
        })),
      ),
      REDIS_TIMEOUT_MS,
      'add webhook jobs',
    );
  }

  /** The queue's Redis client when its connection is up; sweeps again as soon as it reconnects. */
  private async readyClient(): Promise<RedisClient | undefined> {
    try {
      const client = await withTimeout(this.queue.getBackend().client, 1000, 'connect');
      if (this.watchedClient !== client) {
        this.watchedClient = client;
        client.on('ready', () => void this.tick());
      }
      return client.status === 'ready' ? client : undefined;
    } catch {
      return undefined;
    }
  }

  private async serverRunId(client: RedisClient): Promise<string> {
    const info = await withTimeout((client as unknown as { info(section: string): Promise<string> }).info('server'), REDIS_TIMEOUT_MS, 'INFO server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? 'unknown';
  }
}
