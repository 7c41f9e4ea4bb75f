import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { Clock } from '../common/clock';
import { registerJobHandler } from '../queue/job-handlers';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { WebhookSender } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

export type AttemptOutcome = 'delivered' | 'failed' | 'dead' | 'skipped';

/** One attempt of one delivery: send, log the attempt, move the row on. */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly deliveries: WebhooksRepository,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
  ) {}

  /** A job that BullMQ failed without an attempt of ours deciding it (e.g. stalled too often): dead, with the reason in the log. */
  async failedOutsideAttempt(deliveryId: string, reason: string): Promise<void> {
    await this.deliveries.recordAttempt(deliveryId, { at: this.clock.now(), ok: false, last: true, statusCode: null, error: reason.slice(0, 500), durationMs: 0 });
  }

  async attempt(deliveryId: string, lastAttempt: boolean): Promise<AttemptOutcome> {
    const d = await this.deliveries.deliveryToSend(deliveryId);
    // Delivered already (a job added again after Redis lost track of it), cancelled, or dead: nothing to do.
    if (!d || (d.status !== 'pending' && d.status !== 'enqueued')) return 'skipped';
    if (!d.active) {
      await this.deliveries.cancel(d.id);
      return 'skipped';
    }
    const result = await this.sender.send({ url: d.url, secret: d.secret, body: d.body, deliveryId: d.id, eventType: d.event_type });
    await this.deliveries.recordAttempt(d.id, { at: this.clock.now(), ok: result.ok, last: lastAttempt, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs });
    if (result.ok) return 'delivered';
    return lastAttempt ? 'dead' : 'failed';
  }
}

export class WebhookAttemptFailed extends Error {}

/**
 * Delivers webhook jobs; a failed attempt throws, so that BullMQ retries it with exponential
 * backoff; the last one leaves the delivery `dead` (the dead-letter state shown in the delivery log).
 * Many at once, so that a slow receiver holds one slot, not the queue. A short lock and stall
 * check put the jobs of a killed worker back on the queue within seconds.
 */
@Processor(QueueName.Webhooks, { concurrency: 16, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class WebhookDeliveryProcessor extends WorkerHost {
  private readonly logger = new Logger(WebhookDeliveryProcessor.name);

  constructor(private readonly delivery: WebhookDeliveryService) {
    super();
    registerJobHandler(JobName.DeliverWebhook);
  }

  async process(job: Job<JobPayloads[JobName.DeliverWebhook]>): Promise<AttemptOutcome> {
    if (job.name !== JobName.DeliverWebhook) throw new Error(`No handler for job ${job.name} on queue ${QueueName.Webhooks}`);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.delivery.attempt(job.data.deliveryId, lastAttempt);
    if (outcome === 'failed' || outcome === 'dead') throw new WebhookAttemptFailed(`webhook delivery ${job.data.deliveryId}: attempt ${job.attemptsMade + 1} failed`);
    return outcome;
  }

  /** The dead-letter state must not be missed when BullMQ gives a job up for a reason of its own. */
  @OnWorkerEvent('failed')
  onFailed(job: Job<JobPayloads[JobName.DeliverWebhook]> | undefined, error: Error): void {
    if (!job || error instanceof WebhookAttemptFailed) return;
    const givenUp = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled more than/i.test(error.message);
    if (!givenUp) return;
    void this.delivery.failedOutsideAttempt(job.data.deliveryId, error.message).catch((e) => this.logger.warn(`recording a failed webhook job: ${(e as Error).message}`));
  }
}
