import { Module } from '@nestjs/common';
import { StatsProcessor, StatsScheduler } from './stats.processor';
import { StatsModule } from './stats.module';

/** The statistics jobs (daily snapshot scheduler, recompute), loaded only where workers run. */
@Module({
  imports: [StatsModule],
  providers: [StatsProcessor, StatsScheduler],
})
export class StatsWorkerModule {}
