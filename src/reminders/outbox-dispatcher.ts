import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { NotificationsService } from '../notifications/notifications.service';
import { JobSchedulers } from '../queue/job-schedulers';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';

/** How often the dispatcher looks for new outbox rows (ms). Override the provider in tests. */
export const OUTBOX_POLL_MS = 'OUTBOX_POLL_MS';
export const DEFAULT_OUTBOX_POLL_MS = 2000;
/** The job scheduler's period: re-enqueue stragglers Redis may have lost, and sweep the outbox. */
export const SWEEP_OUTBOX_EVERY_MS = 60_000;
export const SWEEP_OUTBOX_SCHEDULER_ID = 'sweep-outbox';
/** An enqueued reminder this long past its time and still not delivered is put on the queue again. */
export const STRAGGLER_GRACE_MS = 60_000;
const BATCH = 500;
/** A Redis call that takes longer is given up (it is retried by the next sweep). */
const REDIS_TIMEOUT_MS = 5000;

type Resync = 'all' | 'stragglers';
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
 * Moves the reminder outbox onto BullMQ: `pending` rows become delayed jobs whose job id is the
 * reminder id (so adding one twice is a no-op) and are marked `enqueued`. Runs at start, on a
 * short poll, whenever Redis becomes reachable again (then every enqueued row is added again, in
 * case Redis lost them), and from the SweepOutbox job scheduler (which also re-adds or retries
 * stragglers). API requests never call Redis; only this, on the worker side, does.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private redisUp = false;
  private stopped = false;
  private watchedClient?: unknown;
  private lastRunId?: string;

  constructor(
    @InjectQueue(QueueName.Reminders) private readonly reminders: Queue<JobPayloads[JobName.DeliverReminder]>,
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    @Inject(OUTBOX_POLL_MS) private readonly pollMs: number,
    private readonly schedulers: JobSchedulers,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, REDIS_TIMEOUT_MS).unref())]);
  }

  /**
   * One sweep, never two at once: a poll while one runs joins it; a resync waits for it and runs
   * after. Errors are logged (the next sweep tries again).
   */
  tick(resync?: Resync): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running && !resync) return this.running;
    const run: Promise<void> = (this.running ?? Promise.resolve())
      .then(() => (this.stopped ? undefined : this.sweep(resync)))
      .catch((e) => this.logger.warn(`outbox sweep failed: ${(e as Error).message}`))
      .finally(() => {
        if (this.running === run) this.running = undefined;
      });
    this.running = run;
    return run;
  }

  private async sweep(resync?: Resync): Promise<void> {
    const client = await this.readyClient();
    if (!client) {
      if (this.redisUp) this.logger.warn('Redis is unreachable: reminders stay in the outbox until it is back');
      this.redisUp = false;
      return;
    }
    try {
      // A Redis restarted between two sweeps (ioredis replays the pending command on the new,
      // empty server, so no error is ever seen) shows as a new run_id: resync as after an outage.
      const runId = await this.serverRunId(client);
      if (runId !== this.lastRunId) this.redisUp = false;
      // A Redis emptied without a restart (FLUSHALL, a failover to an empty replica) keeps its
      // run_id: the sentinel key written after each resync is gone, so resync (checked every poll).
      else if (this.redisUp && !(await this.sentinelPresent(client))) {
        this.logger.warn('Redis lost its data (sentinel key gone): adding schedulers and every enqueued reminder again');
        this.redisUp = false;
      }
      if (!this.redisUp) {
        // First sight of Redis since start or since it went away: it may have lost jobs and schedulers.
        await this.upsertSchedulers();
        await this.enqueuePending();
        await this.reenqueue('all');
        await this.writeSentinel(client, runId);
        this.lastRunId = runId;
        this.redisUp = true;
      } else {
        await this.enqueuePending();
        if (resync) await this.reenqueue(resync);
      }
    } catch (e) {
      this.redisUp = false;
      throw e;
    }
    await this.notifications.sendUnsentImmediate().catch((e) => this.logger.warn(`sending notifications failed: ${(e as Error).message}`));
  }

  /**
   * Job schedulers live in Redis, which a flush or a restart without persistence empties: upsert
   * them (this one and every one registered with JobSchedulers) whenever Redis is seen afresh.
   */
  async upsertSchedulers(): Promise<void> {
    await withTimeout(
      this.maintenance.upsertJobScheduler(SWEEP_OUTBOX_SCHEDULER_ID, { every: SWEEP_OUTBOX_EVERY_MS }, { name: JobName.SweepOutbox, data: {} }),
      REDIS_TIMEOUT_MS,
      'upsert job scheduler',
    );
    await withTimeout(this.schedulers.upsertAll(), REDIS_TIMEOUT_MS, 'upsert job schedulers');
  }

  /** The key whose absence says Redis lost its data (next to the queues, under their prefix). */
  private sentinelKey(): string {
    return `${this.reminders.opts.prefix ?? 'bull'}:outbox-sentinel`;
  }

  private async sentinelPresent(client: RedisClient): Promise<boolean> {
    return (await withTimeout((client as unknown as { exists(key: string): Promise<number> }).exists(this.sentinelKey()), REDIS_TIMEOUT_MS, 'EXISTS sentinel')) === 1;
  }

  private async writeSentinel(client: RedisClient, runId: string): Promise<void> {
    await withTimeout((client as unknown as { set(key: string, value: string): Promise<unknown> }).set(this.sentinelKey(), `${runId}:${new Date().toISOString()}`), REDIS_TIMEOUT_MS, 'SET sentinel');
  }

  /** `pending` rows become delayed jobs, oldest first, then are marked `enqueued`. Returns how many. */
  async enqueuePending(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: Array<{ id: string; fire_at: Date }> = await this.dataSource.query(
        `SELECT id, fire_at FROM reminders WHERE status = 'pending' ORDER BY created_at, id LIMIT ${BATCH}`,
      );
      if (!rows.length) return total;
      await this.addJobs(rows);
      // Locked in id order, like a case change that cancels reminders; a row cancelled meanwhile stays cancelled.
      await this.dataSource.query(
        `UPDATE reminders SET status = 'enqueued', enqueued_at = $2
          WHERE id IN (SELECT id FROM reminders WHERE id = ANY($1::uuid[]) AND status = 'pending' ORDER BY id FOR UPDATE)`,
        [rows.map((r) => r.id), this.clock.now()],
      );
      total += rows.length;
      if (rows.length < BATCH) return total;
    }
  }

  /**
   * Adds `enqueued` rows again: all of them after Redis comes back (an existing job id makes the
   * add a no-op), or the stragglers well past their time (a job that exhausted its attempts is retried).
   */
  async reenqueue(which: Resync): Promise<number> {
    let total = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    const cutoff = new Date(this.clock.now().getTime() - STRAGGLER_GRACE_MS);
    for (;;) {
      const rows: Array<{ id: string; fire_at: Date }> =
        which === 'all'
          ? await this.dataSource.query(`SELECT id, fire_at FROM reminders WHERE status = 'enqueued' AND id > $1 ORDER BY id LIMIT ${BATCH}`, [after])
          : await this.dataSource.query(`SELECT id, fire_at FROM reminders WHERE status = 'enqueued' AND fire_at < $2 AND id > $1 ORDER BY id LIMIT ${BATCH}`, [after, cutoff]);
      if (!rows.length) return total;
      if (which === 'stragglers') await this.retryFailed(rows.map((r) => r.id));
      await this.addJobs(rows);
      total += rows.length;
      after = rows[rows.length - 1].id;
      if (rows.length < BATCH) return total;
    }
  }

  private async retryFailed(ids: string[]): Promise<void> {
    for (const id of ids) {
      const job = await withTimeout(this.reminders.getJob(id), REDIS_TIMEOUT_MS, 'get job');
      if (job && (await job.isFailed())) {
        this.logger.warn(`reminder ${id} failed all attempts; retrying`);
        await job.retry('failed');
      }
    }
  }

  private async addJobs(rows: Array<{ id: string; fire_at: Date }>): Promise<void> {
    const now = this.clock.now().getTime();
    await withTimeout(
      this.reminders.addBulk(
        rows.map((r) => ({
          name: JobName.DeliverReminder,
          data: { reminderId: r.id },
          opts: { jobId: r.id, delay: Math.max(0, r.fire_at.getTime() - now) },
        })),
      ),
      REDIS_TIMEOUT_MS,
      'add reminder jobs',
    );
  }

  /** The queue's Redis client when its connection is up; never waits long. Also sweeps as soon as it reconnects. */
  private async readyClient(): Promise<RedisClient | undefined> {
    try {
      const client = await withTimeout(this.reminders.getBackend().client, 1000, 'connect');
      if (this.watchedClient !== client) {
        this.watchedClient = client;
        client.on('ready', () => void this.tick());
      }
      return client.status === 'ready' ? client : undefined;
    } catch {
      return undefined;
    }
  }

  /** The Redis server's run_id: a new one means a restarted server that may have lost every job. */
  private async serverRunId(client: RedisClient): Promise<string> {
    const info = await withTimeout((client as unknown as { info(section: string): Promise<string> }).info('server'), REDIS_TIMEOUT_MS, 'INFO server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? 'unknown';
  }
}
