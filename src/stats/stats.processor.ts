import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { BUSINESS_TZ } from '../common/business-time';
import { registerJobHandler } from '../queue/job-handlers';
import { JobSchedulers } from '../queue/job-schedulers';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { SnapshotRunResult, StatsSnapshotService } from './stats-snapshot.service';

/** Job scheduler id of the daily snapshot; upserted at every start, so changing the pattern here is enough. */
export const DAILY_STATS_SCHEDULER_ID = 'daily-stats-snapshot';
/** 00:30 in Shanghai: yesterday is closed, and the night is quiet. */
export const DAILY_STATS_PATTERN = '30 0 * * *';

@Processor(QueueName.Stats)
export class StatsProcessor extends WorkerHost {
  constructor(private readonly snapshots: StatsSnapshotService) {
    super();
    registerJobHandler(JobName.RecomputeStats, JobName.DailyStatsSnapshot);
  }

  async process(job: Job): Promise<SnapshotRunResult> {
    switch (job.name) {
      case JobName.DailyStatsSnapshot:
        return this.snapshots.runDaily();
      case JobName.RecomputeStats: {
        const { from, to } = job.data as JobPayloads[JobName.RecomputeStats];
        return this.snapshots.snapshotPeriod(from, to);
      }
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Stats}`);
    }
  }
}

/** How long a start waits for Redis to take the scheduler before going on without it. */
const START_UPSERT_WAIT_MS = 2000;

@Injectable()
export class StatsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatsScheduler.name);

  constructor(
    @InjectQueue(QueueName.Stats) private readonly queue: Queue,
    private readonly schedulers: JobSchedulers,
  ) {}

  /**
   * Registered with JobSchedulers (the outbox dispatcher upserts it again whenever Redis is seen
   * afresh) and upserted now, waiting at most START_UPSERT_WAIT_MS: a start with Redis down must
   * not wait on Redis.
   */
  async onApplicationBootstrap(): Promise<void> {
    const upsert = async () => {
      await this.queue.upsertJobScheduler(
        DAILY_STATS_SCHEDULER_ID,
        { pattern: DAILY_STATS_PATTERN, tz: BUSINESS_TZ },
        { name: JobName.DailyStatsSnapshot, data: {} satisfies JobPayloads[JobName.DailyStatsSnapshot] },
      );
      this.logger.log(`daily statistics snapshot scheduled at "${DAILY_STATS_PATTERN}" ${BUSINESS_TZ}`);
    };
    this.schedulers.register(DAILY_STATS_SCHEDULER_ID, upsert);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      upsert().catch((e) => this.logger.warn(`daily statistics scheduler not set yet (${(e as Error).message}); it will be when Redis answers`)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, START_UPSERT_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
}
