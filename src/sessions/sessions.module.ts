import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { RemindersModule } from '../reminders/reminders.module';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({ imports: [CasesModule, RemindersModule], controllers: [SessionsController], providers: [SessionsService] })
export class SessionsModule {}
