import { Module } from '@nestjs/common';
import { CaseCoreModule } from '../case-core/case-core.module';
import { RemindersModule } from '../reminders/reminders.module';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({ imports: [CaseCoreModule, RemindersModule], controllers: [SessionsController], providers: [SessionsService] })
export class SessionsModule {}
