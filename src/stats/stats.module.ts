import { Module } from '@nestjs/common';
import { CaseExportController } from './case-export.controller';
import { CaseExportRepository } from './case-export.repository';
import { CaseExportService } from './case-export.service';
import { StatsSnapshotRepository } from './stats-snapshot.repository';
import { StatsSnapshotService } from './stats-snapshot.service';
import { StatsRepository } from './stats.repository';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** Statistics (summary, monthly series, breakdowns, snapshots) and the case CSV export. */
@Module({
  controllers: [StatsController, CaseExportController],
  providers: [StatsService, StatsRepository, StatsSnapshotService, StatsSnapshotRepository, CaseExportService, CaseExportRepository],
  exports: [StatsService, StatsRepository, StatsSnapshotService],
})
export class StatsModule {}
