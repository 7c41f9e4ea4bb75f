import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { DEFAULT_OUTBOX_POLL_MS, OUTBOX_POLL_MS, OutboxDispatcher } from './outbox-dispatcher';
import { OutboxSweepProcessor } from './outbox-sweep.processor';
import { DueReminders } from './due-reminders';
import { ReminderDeliveryService } from './reminder-delivery.service';
import { RemindersRepository } from './reminders.repository';
import { ReminderProcessor } from './reminder.processor';

/** Worker side of the reminders: the outbox dispatcher, the delivery processor, the sweep scheduler. */
@Module({
  imports: [NotificationsModule],
  providers: [RemindersRepository, DueReminders, ReminderDeliveryService, OutboxDispatcher, ReminderProcessor, OutboxSweepProcessor, { provide: OUTBOX_POLL_MS, useValue: DEFAULT_OUTBOX_POLL_MS }],
  exports: [ReminderDeliveryService, OutboxDispatcher],
})
export class RemindersWorkerModule {}
