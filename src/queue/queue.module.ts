import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Global, Logger, Module } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfigService } from '../config/app-config.service';
import { JobSchedulers } from './job-schedulers';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue-names';
import { logRedisErrors } from './redis-error-log';

/** One Redis connection setting for every queue and worker, and every queue registered at start. */
export function redisConnectionOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 500, 5000),
  };
}

const queues = Object.values(QueueName).map((name) => ({ name, defaultJobOptions: DEFAULT_JOB_OPTIONS }));

/**
 * Every queue logs (rather than prints) its connection errors while Redis is away. Attached in
 * a factory that takes the queues, so right when they are made: a queue that fails to connect
 * before anyone listens prints a raw stack trace per reconnect.
 */
const QUEUE_ERROR_LOGGING = Symbol('QUEUE_ERROR_LOGGING');
const queueErrorLogging = {
  provide: QUEUE_ERROR_LOGGING,
  inject: Object.values(QueueName).map((name) => getQueueToken(name)),
  useFactory: (...all: Queue[]) => {
    const logger = new Logger('Queues');
    for (const queue of all) queue.on('error', logRedisErrors(logger, `queue ${queue.name}`));
    return true;
  },
};

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        connection: redisConnectionOptions(config.get('REDIS_URL')),
        prefix: config.get('QUEUE_PREFIX'),
      }),
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [queueErrorLogging, JobSchedulers],
  exports: [BullModule, JobSchedulers],
})
export class QueueModule {}
