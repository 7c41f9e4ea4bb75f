import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { NotificationsService } from '../notifications/notifications.service';
import { JobSchedulers } from '../queue/job-schedulers';
import { BulkJob, OutboxPump, REDIS_TIMEOUT_MS, Resync, withTimeout } from '../queue/outbox-pump';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { MAX_DELIVERY_BATCH } from './reminder-delivery.service';
import { OutboxEntry, ReminderJobGroup, RemindersRepository } from './reminders.repository';

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
 * jobs, due at the reminders' time, one job for up to MAX_DELIVERY_BATCH rows due at the same
 * moment (`groupByFireAt`; the job's id is written on its rows as `job_id`, and the job finds
 * them by it). A burst of 100,000 reminders due at one minute is then 100 jobs rather than
 * 100,000, each of which cost a few Redis scripts and a worker round. Runs at start, on a short
 * poll, whenever Redis is seen afresh (then the job schedulers are upserted too), and from the
 * SweepOutbox job scheduler, which also re-adds, or retries when they failed every attempt, the
 * stragglers well past their time. Each sweep also hands immediate notifications to the sender.
 */
@Injectable()
export class OutboxDispatcher extends OutboxPump<OutboxEntry, 'stragglers'> {
  protected readonly logger = new Logger(OutboxDispatcher.name);
  protected readonly unreachableMessage = 'Redis is unreachable: reminders stay in the outbox until it is back';

  constructor(
    @InjectQueue(QueueName.Reminders) reminders: Queue<JobPayloads[JobName.DeliverReminders] | JobPayloads[JobName.DeliverReminder]>,
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

  /**
   * Rows due at the same moment share a job (`groupByFireAt`), whose id is written on them as they
   * are marked enqueued, before the job is added: a job due now may run at once, and finds its rows
   * by job_id.
   */
  protected readonly markBeforeAdding = true;

  protected async markEnqueued(rows: OutboxEntry[]): Promise<void> {
    const groups = groupByFireAt(rows);
    await this.repo.markEnqueued(groups, this.clock.now());
    const jobOf = new Map(groups.flatMap((g) => g.reminderIds.map((id) => [id, g.jobId] as const)));
    for (const r of rows) r.jobId = jobOf.get(r.id)!;
  }

  protected enqueuedBatch(after: string, limit: number, which: Resync<'stragglers'>): Promise<OutboxEntry[]> {
    return this.repo.enqueuedBatch(after, limit, which === 'stragglers' ? new Date(this.clock.now().getTime() - STRAGGLER_GRACE_MS) : undefined);
  }

  /** A row enqueued before job groups existed has no job_id: its job's id is its own. */
  protected jobIdOf(row: OutboxEntry): string {
    return row.jobId ?? row.id;
  }

  protected jobsFor(rows: OutboxEntry[]): BulkJob[] {
    const now = this.clock.now().getTime();
    const jobs = new Map<string, BulkJob>();
    for (const r of rows) {
      const jobId = this.jobIdOf(r);
      const delay = Math.max(0, r.fireAt.getTime() - now);
      const job = jobs.get(jobId);
      if (job) job.opts!.delay = Math.min(job.opts!.delay!, delay);
      else if (r.jobId === null) jobs.set(jobId, { name: JobName.DeliverReminder, data: { reminderId: r.id }, opts: { jobId, delay } });
      else jobs.set(jobId, { name: JobName.DeliverReminders, data: { groupId: jobId }, opts: { jobId, delay } });
    }
    return [...jobs.values()];
  }

  /** A straggler whose job exhausted its attempts is retried (adding it again would be a no-op). */
  protected async beforeAdd(rows: OutboxEntry[], why: 'pending' | Resync<'stragglers'>): Promise<void> {
    if (why !== 'stragglers') return;
    for (const id of await this.failedJobIds([...new Set(rows.map((r) => this.jobIdOf(r)))])) {
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

/**
 * Rows due at the same moment go in one job, up to MAX_DELIVERY_BATCH (one delivery transaction);
 * a group's job id is its first row's id, so a group of one has the job id it always had.
 */
export function groupByFireAt(rows: OutboxEntry[]): ReminderJobGroup[] {
  const sorted = [...rows].sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const groups: ReminderJobGroup[] = [];
  let current: ReminderJobGroup | undefined;
  let currentAt = NaN;
  for (const r of sorted) {
    if (!current || r.fireAt.getTime() !== currentAt || current.reminderIds.length >= MAX_DELIVERY_BATCH) {
      current = { jobId: r.id, reminderIds: [] };
      currentAt = r.fireAt.getTime();
      groups.push(current);
    }
    current.reminderIds.push(r.id);
  }
  return groups;
}
