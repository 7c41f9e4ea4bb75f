import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job } from 'bullmq';
import { registerJobHandler } from '../queue/job-handlers';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { DeliveryOutcome, MAX_DELIVERY_BATCH, ReminderDeliveryService } from './reminder-delivery.service';

/**
 * Delivers reminder jobs. A job whose reminder is not due yet (by the injected clock) waits again.
 * Many jobs run at once so that the delivery service can gather them into batches.
 */
@Processor(QueueName.Reminders, { concurrency: 2 * MAX_DELIVERY_BATCH })
export class ReminderProcessor extends WorkerHost {
  constructor(private readonly delivery: ReminderDeliveryService) {
    super();
    registerJobHandler(JobName.DeliverReminder);
  }

  async process(job: Job<JobPayloads[JobName.DeliverReminder]>, token?: string): Promise<DeliveryOutcome> {
    if (job.name !== JobName.DeliverReminder) throw new Error(`No handler for job ${job.name} on queue ${QueueName.Reminders}`);
    const result = await this.delivery.deliver(job.data.reminderId);
    if (result.outcome === 'too-early') {
      await job.moveToDelayed(Date.now() + result.waitMs, token);
      throw new DelayedError();
    }
    return result;
  }
}
