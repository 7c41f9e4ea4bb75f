import { Module } from '@nestjs/common';
import { LoggingNotificationSender, NotificationSender } from './notification-sender';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, { provide: NotificationSender, useClass: LoggingNotificationSender }],
  exports: [NotificationsService, NotificationSender],
})
export class NotificationsModule {}
