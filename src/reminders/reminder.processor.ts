import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job } from 'bullmq';
import { registerJobHandler } from '../queue/job-handlers';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { DeliveryOutcome, GroupOutcome, ReminderDeliveryService } from './reminder-delivery.service';

type ReminderJob = Job<JobPayloads[JobName.DeliverReminders]> | Job<JobPayloads[JobName.DeliverReminder]>;

/**
 * Delivers reminder jobs: a group's (the reminders whose job_id is the job's id) or, for a job
 * queued before groups existed, one reminder's. Reminders not due yet (by the injected clock) wait
 * again. A few jobs run at once, so that the delivery service can gather one batch while another
 * commits.
 */
@Processor(QueueName.Reminders, { concurrency: 8 })
export class ReminderProcessor extends WorkerHost {
  constructor(private readonly delivery: ReminderDeliveryService) {
    super();
    registerJobHandler(JobName.DeliverReminders, JobName.DeliverReminder);
  }

  async process(job: ReminderJob, token?: string): Promise<DeliveryOutcome | GroupOutcome> {
    if (job.name === JobName.DeliverReminders) return this.processGroup(job as Job<JobPayloads[JobName.DeliverReminders]>, token);
    if (job.name !== JobName.DeliverReminder) throw new Error(`No handler for job ${job.name} on queue ${QueueName.Reminders}`);
    const result = await this.delivery.deliver((job as Job<JobPayloads[JobName.DeliverReminder]>).data.reminderId);
    if (result.outcome === 'too-early') await this.waitAgain(job, result.waitMs, token);
    return result;
  }

  /**
   * A retry delivers the reminders that failed the last attempt (kept in the job's data): one
   * whose notifications were written but not sent is no longer active, so the group's query would
   * not find it again.
   */
  private async processGroup(job: Job<JobPayloads[JobName.DeliverReminders]>, token?: string): Promise<GroupOutcome> {
    const result = await this.delivery.deliverGroup(job.data.groupId, job.data.retryIds);
    if (result.failed.length) {
      await job.updateData({ groupId: job.data.groupId, retryIds: result.failed });
      throw new Error(`${result.failed.length} of ${result.reminders} reminders of group ${job.data.groupId} failed: ${result.firstError}`);
    }
    if (result.waitMs !== null) await this.waitAgain(job, result.waitMs, token);
    return result;
  }

  private async waitAgain(job: Job, waitMs: number, token?: string): Promise<never> {
    await job.moveToDelayed(Date.now() + waitMs, token);
    throw new DelayedError();
  }
}
