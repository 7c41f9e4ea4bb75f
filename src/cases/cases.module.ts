import { Module } from '@nestjs/common';
import { HolidaysModule } from '../holidays/holidays.module';
import { RemindersModule } from '../reminders/reminders.module';
import { CaseTransactionService } from './case-transaction.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [RemindersModule, HolidaysModule],
  controllers: [CasesController],
  providers: [CasesService, CaseTransactionService],
  exports: [CasesService, CaseTransactionService],
})
export class CasesModule {}
