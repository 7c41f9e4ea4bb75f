import { Module } from '@nestjs/common';
import { CaseCoreModule } from '../case-core/case-core.module';
import { HolidaysModule } from '../holidays/holidays.module';
import { RemindersModule } from '../reminders/reminders.module';
import { ConfirmationsController } from './confirmations.controller';
import { ConfirmationsService } from './confirmations.service';

@Module({ imports: [CaseCoreModule, RemindersModule, HolidaysModule], controllers: [ConfirmationsController], providers: [ConfirmationsService] })
export class ConfirmationsModule {}
