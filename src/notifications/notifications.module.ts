import { Module } from '@nestjs/common';
import { LoggingNotificationSender, NotificationSender } from './notification-sender';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationsRepository, { provide: NotificationSender, useClass: LoggingNotificationSender }],
  exports: [NotificationsService, NotificationsRepository, NotificationSender],
})
export class NotificationsModule {}
