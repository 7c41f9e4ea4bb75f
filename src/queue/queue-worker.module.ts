import { Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { assertEveryJobHasAHandler } from './job-handlers';

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

@Module({ providers: [JobHandlersCheck] })
export class QueueWorkerModule {}
