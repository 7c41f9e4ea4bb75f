import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { assertEveryJobHasAHandler } from './job-handlers';
import { logRedisErrors } from './redis-error-log';

/**
 * Refuses to start a process that runs workers when a job of the JobName enum has no handler.
 * It runs at application bootstrap, after every module's processors were constructed (and so
 * registered their jobs), whichever module they are in.
 */
@Injectable()
export class JobHandlersCheck implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    assertEveryJobHasAHandler();
  }
}

/** Every BullMQ worker, whichever module it is in, logs its connection errors (it reconnects by itself). */
@Injectable()
export class WorkerErrorLogger implements OnApplicationBootstrap {
  private readonly logger = new Logger('QueueWorkers');

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const host: unknown = wrapper.instance;
      if (!(host instanceof WorkerHost)) continue;
      try {
        const worker = host.worker;
        worker.on('error', logRedisErrors(this.logger, `worker ${worker.name}`));
      } catch {
        // A processor whose worker was not created (none in this process).
      }
    }
  }
}

@Module({ imports: [DiscoveryModule], providers: [JobHandlersCheck, WorkerErrorLogger] })
export class QueueWorkerModule {}
