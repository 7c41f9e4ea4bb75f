import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { RemindersService } from './reminders.service';

/** The outbox writer the case services call; the dispatcher and processor live in RemindersWorkerModule. */
@Module({ imports: [NotificationsModule], providers: [RemindersService], exports: [RemindersService] })
export class RemindersModule {}
