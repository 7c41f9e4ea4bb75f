import { Module } from '@nestjs/common';
import { CaseCoreModule } from '../case-core/case-core.module';
import { HolidaysModule } from '../holidays/holidays.module';
import { RemindersModule } from '../reminders/reminders.module';
import { CaseConclusion } from './case-conclusion';
import { CaseCorrectionsService } from './case-corrections.service';
import { CaseCourtService } from './case-court.service';
import { CaseIntakeService } from './case-intake.service';
import { CaseTransitionsService } from './case-transitions.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { SearchTermShares } from './search-term-shares';

@Module({
  imports: [CaseCoreModule, RemindersModule, HolidaysModule],
  controllers: [CasesController],
  providers: [CasesService, SearchTermShares, CaseIntakeService, CaseTransitionsService, CaseCorrectionsService, CaseCourtService, CaseConclusion],
  exports: [CasesService, CaseIntakeService, CaseConclusion, CaseCoreModule],
})
export class CasesModule {}
