import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
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
 * Many at once, so that a slow receiver holds one slot, not the queue.
 */
@Processor(QueueName.Webhooks, { concurrency: 16 })
export class WebhookDeliveryProcessor extends WorkerHost {
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
}
