import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { NotificationsService } from '../notifications/notifications.service';
import { JobSchedulers } from '../queue/job-schedulers';
import { BulkJob, OutboxPump, REDIS_TIMEOUT_MS, Resync, withTimeout } from '../queue/outbox-pump';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { OutboxEntry, RemindersRepository } from './reminders.repository';

/** How often the dispatcher looks for new outbox rows (ms). Override the provider in tests. */
export const OUTBOX_POLL_MS = 'OUTBOX_POLL_MS';
export const DEFAULT_OUTBOX_POLL_MS = 2000;
/** The job scheduler's period: re-enqueue stragglers Redis may have lost, and sweep the outbox. */
export const SWEEP_OUTBOX_EVERY_MS = 60_000;
export const SWEEP_OUTBOX_SCHEDULER_ID = 'sweep-outbox';
/** An enqueued reminder this long past its time and still not delivered is put on the queue again. */
export const STRAGGLER_GRACE_MS = 60_000;
/** Rows per statement and per bulk add (a burst of 100,000 due reminders is 100 round trips each way). */
const BATCH = 1000;

/**
 * Moves the reminder outbox onto BullMQ (the loop is OutboxPump's): `pending` rows become delayed
 * jobs whose job id is the reminder id, due at the reminder's time. Runs at start, on a short
 * poll, whenever Redis is seen afresh (then the job schedulers are upserted too), and from the
 * SweepOutbox job scheduler, which also re-adds, or retries when they failed every attempt, the
 * stragglers well past their time. Each sweep also hands immediate notifications to the sender.
 */
@Injectable()
export class OutboxDispatcher extends OutboxPump<OutboxEntry, 'stragglers'> {
  protected readonly logger = new Logger(OutboxDispatcher.name);
  protected readonly unreachableMessage = 'Redis is unreachable: reminders stay in the outbox until it is back';

  constructor(
    @InjectQueue(QueueName.Reminders) reminders: Queue<JobPayloads[JobName.DeliverReminder]>,
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    private readonly repo: RemindersRepository,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    @Inject(OUTBOX_POLL_MS) pollMs: number,
    private readonly schedulers: JobSchedulers,
  ) {
    super(reminders, pollMs, BATCH);
  }

  protected pendingBatch(limit: number): Promise<OutboxEntry[]> {
    return this.repo.pendingBatch(limit);
  }

  protected markEnqueued(ids: string[]): Promise<void> {
    return this.repo.markEnqueued(ids, this.clock.now());
  }

  protected enqueuedBatch(after: string, limit: number, which: Resync<'stragglers'>): Promise<OutboxEntry[]> {
    return this.repo.enqueuedBatch(after, limit, which === 'stragglers' ? new Date(this.clock.now().getTime() - STRAGGLER_GRACE_MS) : undefined);
  }

  protected jobsFor(rows: OutboxEntry[]): BulkJob[] {
    const now = this.clock.now().getTime();
    return rows.map((r) => ({ name: JobName.DeliverReminder, data: { reminderId: r.id }, opts: { jobId: r.id, delay: Math.max(0, r.fireAt.getTime() - now) } }));
  }

  /** A straggler whose job exhausted its attempts is retried (adding it again would be a no-op). */
  protected async beforeAdd(rows: OutboxEntry[], why: 'pending' | Resync<'stragglers'>): Promise<void> {
    if (why !== 'stragglers') return;
    for (const id of await this.failedJobIds(rows.map((r) => r.id))) {
      const job = await withTimeout(this.queue.getJob(id), REDIS_TIMEOUT_MS, 'get job');
      if (job && (await job.isFailed())) {
        this.logger.warn(`reminder ${id} failed all attempts; retrying`);
        await job.retry('failed');
      }
    }
  }

  /**
   * Job schedulers live in Redis, which a flush or a restart without persistence empties: upsert
   * them (this one and every one registered with JobSchedulers) whenever Redis is seen afresh.
   */
  protected async onFreshRedis(): Promise<void> {
    await this.upsertSchedulers();
  }

  async upsertSchedulers(): Promise<void> {
    await withTimeout(
      this.maintenance.upsertJobScheduler(SWEEP_OUTBOX_SCHEDULER_ID, { every: SWEEP_OUTBOX_EVERY_MS }, { name: JobName.SweepOutbox, data: {} }),
      REDIS_TIMEOUT_MS,
      'upsert job scheduler',
    );
    await withTimeout(this.schedulers.upsertAll(), REDIS_TIMEOUT_MS, 'upsert job schedulers');
  }

  protected async afterSweep(): Promise<void> {
    await this.notifications.sendUnsentImmediate().catch((e) => this.logger.warn(`sending notifications failed: ${(e as Error).message}`));
  }
}
