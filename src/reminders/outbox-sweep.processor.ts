import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { registerJobHandler } from '../queue/job-handlers';
import { JobName, QueueName } from '../queue/queue-names';
import { OutboxDispatcher } from './outbox-dispatcher';

/** The maintenance queue: the SweepOutbox job scheduler's jobs. */
@Processor(QueueName.Maintenance)
export class OutboxSweepProcessor extends WorkerHost {
  constructor(private readonly dispatcher: OutboxDispatcher) {
    super();
    registerJobHandler(JobName.SweepOutbox);
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.SweepOutbox) throw new Error(`No handler for job ${job.name} on queue ${QueueName.Maintenance}`);
    await this.dispatcher.tick('stragglers');
  }
}
