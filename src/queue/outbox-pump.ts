import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';

/** A Redis call that takes longer is given up (the next sweep tries again). */
export const REDIS_TIMEOUT_MS = 5000;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export type RedisClient = Awaited<ReturnType<Queue['getBackend']>['client']>;
export type BulkJob = Parameters<Queue['addBulk']>[0][number];

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A row of an outbox table. Its job's id is deterministic (by default the row's id), so adding it twice is a no-op. */
export interface OutboxRow {
  id: string;
}

/** Which `enqueued` rows a sweep adds again: all of them, or a narrower set the outbox defines. */
export type Resync<Narrow extends string> = 'all' | Narrow;

/**
 * Moves an outbox table onto a BullMQ queue (the reminders and the webhook deliveries both run
 * this loop): `pending` rows become jobs (`jobIdOf`: the row's id, or a group's) and are marked `enqueued`; and
 * since Redis may lose jobs, `enqueued` rows are added again (an existing job id makes that a
 * no-op) whenever Redis is seen afresh: at start, when its connection comes back, when the server
 * restarted (a new run_id: ioredis replays a pending command on the new, empty server, so no error
 * is ever seen), and when it was emptied without a restart (FLUSHALL, a failover to an empty
 * replica: the sentinel key written after each resync is gone). One sweep runs at a time: a poll
 * while one runs joins it; a resync waits for it and runs after. Errors are logged, and the next
 * sweep starts afresh. Worker side only: API requests never call Redis.
 */
export abstract class OutboxPump<Row extends OutboxRow, Narrow extends string = never> implements OnApplicationBootstrap, OnModuleDestroy {
  protected abstract readonly logger: Logger;
  /** Logged once when Redis goes away. */
  protected abstract readonly unreachableMessage: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private redisUp = false;
  private lastRunId?: string;
  private watchedClient?: unknown;

  protected constructor(
    protected readonly queue: Queue,
    private readonly pollMs: number,
    private readonly batchSize: number,
  ) {}

  /** Pending rows, oldest first. */
  protected abstract pendingBatch(limit: number): Promise<Row[]>;
  /** Marks rows enqueued (those still pending). */
  protected abstract markEnqueued(rows: Row[]): Promise<void>;
  /**
   * Whether rows are marked enqueued before their jobs are added (by default after). Safe either
   * way: a failed add fails the sweep, and the next one adds every enqueued row's missing job.
   */
  protected readonly markBeforeAdding: boolean = false;
  /** `enqueued` rows of a resync, in id order after `after`. */
  protected abstract enqueuedBatch(after: string, limit: number, which: Resync<Narrow>): Promise<Row[]>;
  protected abstract jobsFor(rows: Row[]): BulkJob[];
  /** The id of the job that carries a row: rows that share one go onto the queue as one job. */
  protected jobIdOf(row: Row): string {
    return row.id;
  }
  /** Before rows go onto the queue (`pending`: for the first time), e.g. to clear a failed job that holds the id. */
  protected async beforeAdd(_rows: Row[], _why: 'pending' | Resync<Narrow>): Promise<void> {}
  /** Redis seen afresh: what it may have lost besides the jobs (job schedulers). */
  protected async onFreshRedis(): Promise<void> {}
  /** A resync that a plain poll does on its own (none by default). */
  protected periodicResync(): Resync<Narrow> | undefined {
    return undefined;
  }
  /** After each sweep that found Redis up; must not throw. */
  protected async afterSweep(): Promise<void> {}

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

  tick(resync?: Resync<Narrow>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running && !resync) return this.running;
    const run: Promise<void> = (this.running ?? Promise.resolve())
      .then(() => (this.stopped ? undefined : this.sweep(resync)))
      .catch((e) => {
        this.redisUp = false;
        this.logger.warn(`outbox sweep of ${this.queue.name} failed: ${(e as Error).message}`);
      })
      .finally(() => {
        if (this.running === run) this.running = undefined;
      });
    this.running = run;
    return run;
  }

  private async sweep(resync?: Resync<Narrow>): Promise<void> {
    const client = await this.readyClient();
    if (!client) {
      if (this.redisUp) this.logger.warn(this.unreachableMessage);
      this.redisUp = false;
      return;
    }
    const runId = await this.serverRunId(client);
    if (runId !== this.lastRunId) this.redisUp = false;
    else if (this.redisUp && !(await this.sentinelPresent(client))) {
      this.logger.warn(`Redis lost its data (sentinel key gone): adding every enqueued row of ${this.queue.name} again`);
      this.redisUp = false;
    }
    if (!this.redisUp) {
      await this.onFreshRedis();
      await this.enqueuePending();
      await this.reenqueue('all');
      await this.writeSentinel(client, runId);
      this.lastRunId = runId;
      this.redisUp = true;
    } else {
      await this.enqueuePending();
      const which = resync ?? this.periodicResync();
      if (which) await this.reenqueue(which);
    }
    await this.afterSweep();
  }

  /** `pending` rows become jobs, oldest first, and are marked `enqueued`. Returns how many. */
  async enqueuePending(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.pendingBatch(this.batchSize);
      if (!rows.length) return total;
      await this.beforeAdd(rows, 'pending');
      if (this.markBeforeAdding) await this.markEnqueued(rows);
      await this.addJobs(rows);
      if (!this.markBeforeAdding) await this.markEnqueued(rows);
      total += rows.length;
      if (rows.length < this.batchSize) return total;
    }
  }

  /** Adds again the `enqueued` rows whose job Redis does not have. Returns how many. */
  async reenqueue(which: Resync<Narrow>): Promise<number> {
    let total = 0;
    let after = NIL_UUID;
    for (;;) {
      const rows = await this.enqueuedBatch(after, this.batchSize, which);
      if (!rows.length) return total;
      await this.beforeAdd(rows, which);
      // Adding a job that exists is a no-op, but a script run each: during a long burst the
      // stragglers are most of the queue, so only the jobs Redis does not have are added.
      const missing = new Set(await this.missingJobIds([...new Set(rows.map((r) => this.jobIdOf(r)))]));
      const lost = rows.filter((r) => missing.has(this.jobIdOf(r)));
      if (lost.length) await this.addJobs(lost);
      total += lost.length;
      after = rows[rows.length - 1].id;
      if (rows.length < this.batchSize) return total;
    }
  }

  /** Of these job ids, those whose job is in the failed set (one round trip). */
  protected async failedJobIds(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const client = await this.queue.getBackend().client;
    const pipeline = (client as unknown as { pipeline(): { zscore(key: string, member: string): unknown; exec(): Promise<Array<[Error | null, unknown]>> } }).pipeline();
    for (const id of ids) pipeline.zscore(this.queue.keys.failed, id);
    const replies = await withTimeout(pipeline.exec(), REDIS_TIMEOUT_MS, 'ZSCORE failed jobs');
    return ids.filter((_, i) => replies[i]?.[1] !== null && replies[i]?.[1] !== undefined);
  }

  /** Of these job ids, those whose job Redis does not hold in any state (one round trip). */
  private async missingJobIds(ids: string[]): Promise<string[]> {
    const client = await this.queue.getBackend().client;
    const pipeline = (client as unknown as { pipeline(): { exists(key: string): unknown; exec(): Promise<Array<[Error | null, unknown]>> } }).pipeline();
    for (const id of ids) pipeline.exists(this.queue.toKey(id));
    const replies = await withTimeout(pipeline.exec(), REDIS_TIMEOUT_MS, 'EXISTS jobs');
    return ids.filter((_, i) => replies[i]?.[1] !== 1);
  }

  private async addJobs(rows: Row[]): Promise<void> {
    await withTimeout(this.queue.addBulk(this.jobsFor(rows)), REDIS_TIMEOUT_MS, `add ${this.queue.name} jobs`);
  }

  /** The key whose absence says Redis lost its data (next to the queue's keys, under its prefix). */
  private sentinelKey(): string {
    return `${this.queue.opts.prefix ?? 'bull'}:${this.queue.name}:outbox-sentinel`;
  }

  private async sentinelPresent(client: RedisClient): Promise<boolean> {
    return (await withTimeout((client as unknown as { exists(key: string): Promise<number> }).exists(this.sentinelKey()), REDIS_TIMEOUT_MS, 'EXISTS sentinel')) === 1;
  }

  private async writeSentinel(client: RedisClient, runId: string): Promise<void> {
    await withTimeout((client as unknown as { set(key: string, value: string): Promise<unknown> }).set(this.sentinelKey(), `${runId}:${new Date().toISOString()}`), REDIS_TIMEOUT_MS, 'SET sentinel');
  }

  /** The queue's Redis client when its connection is up; never waits long. Also sweeps as soon as it reconnects. */
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

  /** The Redis server's run_id: a new one means a restarted server that may have lost every job. */
  private async serverRunId(client: RedisClient): Promise<string> {
    const info = await withTimeout((client as unknown as { info(section: string): Promise<string> }).info('server'), REDIS_TIMEOUT_MS, 'INFO server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? 'unknown';
  }
}
