import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { AppConfigService } from '../config/app-config.service';
import { BulkJob, OutboxPump, REDIS_TIMEOUT_MS, withTimeout } from '../queue/outbox-pump';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { PendingDelivery, WebhooksRepository } from './webhooks.repository';

const BATCH = 500;
/** Every enqueued row is put on the queue again this often, in case Redis lost its job. */
const RESYNC_EVERY_MS = 60_000;

/**
 * Moves the webhook outbox onto BullMQ (the loop is OutboxPump's, as for reminders): `pending`
 * rows become jobs whose id is the delivery's id, and besides the resyncs whenever Redis is seen
 * afresh, every `enqueued` row is added again every minute. Retries with exponential backoff are
 * BullMQ's (WEBHOOK_MAX_ATTEMPTS, WEBHOOK_BACKOFF_MS); the last failed attempt leaves the row
 * `dead`. Worker side only.
 */
@Injectable()
export class WebhookDispatcher extends OutboxPump<PendingDelivery> {
  protected readonly logger = new Logger(WebhookDispatcher.name);
  protected readonly unreachableMessage = 'Redis is unreachable: webhook deliveries wait in the outbox until it is back';
  private lastResyncAt = Date.now();

  constructor(
    @InjectQueue(QueueName.Webhooks) queue: Queue<JobPayloads[JobName.DeliverWebhook]>,
    private readonly deliveries: WebhooksRepository,
    private readonly config: AppConfigService,
    private readonly clock: Clock,
  ) {
    super(queue, config.get('WEBHOOK_POLL_MS'), BATCH);
  }

  protected pendingBatch(limit: number): Promise<PendingDelivery[]> {
    return this.deliveries.pendingBatch(limit);
  }

  protected markEnqueued(rows: PendingDelivery[]): Promise<void> {
    return this.deliveries.markEnqueued(rows.map((r) => r.id), this.clock.now());
  }

  protected async enqueuedBatch(after: string, limit: number): Promise<PendingDelivery[]> {
    this.lastResyncAt = Date.now();
    return (await this.deliveries.enqueuedBatch(after, limit)).map((id) => ({ id, attempts: 0 }));
  }

  protected periodicResync(): 'all' | undefined {
    return Date.now() - this.lastResyncAt > RESYNC_EVERY_MS ? 'all' : undefined;
  }

  /** A dead letter sent again: its failed job still holds the id, and adding would be a no-op. */
  protected async beforeAdd(rows: PendingDelivery[], why: 'pending' | 'all'): Promise<void> {
    if (why !== 'pending') return;
    const resent = rows.filter((r) => r.attempts > 0).map((r) => r.id);
    for (const id of await this.failedJobIds(resent)) {
      const job = await withTimeout(this.queue.getJob(id), REDIS_TIMEOUT_MS, 'get job');
      if (job && (await job.isFailed())) await withTimeout(job.remove(), REDIS_TIMEOUT_MS, 'remove job');
    }
  }

  protected jobsFor(rows: PendingDelivery[]): BulkJob[] {
    const attempts = this.config.get('WEBHOOK_MAX_ATTEMPTS');
    const delay = this.config.get('WEBHOOK_BACKOFF_MS');
    return rows.map((r) => ({
      name: JobName.DeliverWebhook,
      data: { deliveryId: r.id },
      opts: { jobId: r.id, attempts, backoff: { type: 'exponential', delay }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
    }));
  }
}
