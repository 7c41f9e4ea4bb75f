import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { RemindersModule } from '../reminders/reminders.module';
import { AgreementsController } from './agreements.controller';
import { AgreementsService } from './agreements.service';

@Module({ imports: [CasesModule, RemindersModule], controllers: [AgreementsController], providers: [AgreementsService] })
export class AgreementsModule {}
