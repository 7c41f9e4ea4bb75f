import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { StatsModule } from '../stats/stats.module';
import { CaseDocumentsController, StatsReportController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { StatsReportService } from './stats-report.service';

/** Documents generated from what a case records (PDF), and the statistics report (PDF, .xlsx). */
@Module({
  imports: [CasesModule, StatsModule],
  controllers: [CaseDocumentsController, StatsReportController],
  providers: [DocumentsService, DocumentsRepository, StatsReportService],
  exports: [StatsReportService],
})
export class DocumentsModule {}
