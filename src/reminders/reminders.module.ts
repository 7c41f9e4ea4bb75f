import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';

/** The outbox writer the case services call; the dispatcher and processor live in RemindersWorkerModule. */
@Module({ imports: [NotificationsModule], providers: [RemindersService, RemindersRepository], exports: [RemindersService] })
export class RemindersModule {}
