import { Module } from '@nestjs/common';
import { CaseCoreModule } from '../case-core/case-core.module';
import { HolidaysModule } from '../holidays/holidays.module';
import { RemindersModule } from '../reminders/reminders.module';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [CaseCoreModule, RemindersModule, HolidaysModule],
  controllers: [CasesController],
  providers: [CasesService],
  exports: [CasesService, CaseCoreModule],
})
export class CasesModule {}
