import { Module } from '@nestjs/common';
import { CaseExportController } from './case-export.controller';
import { CaseExportService } from './case-export.service';
import { StatsQueries } from './stats-queries';
import { StatsSnapshotService } from './stats-snapshot.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** Statistics (summary, monthly series, breakdowns, snapshots) and the case CSV export. */
@Module({
  controllers: [StatsController, CaseExportController],
  providers: [StatsService, StatsQueries, StatsSnapshotService, CaseExportService],
  exports: [StatsService, StatsQueries, StatsSnapshotService],
})
export class StatsModule {}
