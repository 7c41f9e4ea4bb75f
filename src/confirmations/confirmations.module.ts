import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { HolidaysModule } from '../holidays/holidays.module';
import { RemindersModule } from '../reminders/reminders.module';
import { ConfirmationsController } from './confirmations.controller';
import { ConfirmationsService } from './confirmations.service';

@Module({ imports: [CasesModule, RemindersModule, HolidaysModule], controllers: [ConfirmationsController], providers: [ConfirmationsService] })
export class ConfirmationsModule {}
