import { Injectable, Logger } from '@nestjs/common';

/** What a channel beyond the in-app list (SMS, e-mail) is given. */
export interface OutgoingNotification {
  id: string;
  userId: string;
  kind: string;
  caseId: string | null;
  caseNumber: string | null;
  message: string;
  dueAt: Date | null;
  createdAt: Date;
}

/**
 * The pluggable channel for notifications beyond the in-app list. Also the injection token:
 * provide another implementation (an SMS gateway, e-mail) with `{ provide: NotificationSender, useClass: ... }`.
 * A sender that throws makes the delivery job retry; it may then be called again for the same
 * notification, so implementations should be idempotent by `id`.
 */
export abstract class NotificationSender {
  abstract send(notification: OutgoingNotification): Promise<void>;
}

/** The default: writes each notification to the log. */
@Injectable()
export class LoggingNotificationSender extends NotificationSender {
  private readonly logger = new Logger('NotificationSender');

  async send(n: OutgoingNotification): Promise<void> {
    this.logger.log({ notificationId: n.id, userId: n.userId, kind: n.kind, caseNumber: n.caseNumber }, n.message);
  }
}
