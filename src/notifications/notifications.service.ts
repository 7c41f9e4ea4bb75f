import { Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '../accounts-core/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors/domain-error';
import { ListNotificationsQuery, NotificationPage, NotificationView } from './notification.dto';
import { Notification } from './notification.entity';
import { NotificationSender } from './notification-sender';
import { NotificationsRepository } from './notifications.repository';

/** How old an immediate notification may be and still go to the sender. */
const SEND_WITHIN_MS = 24 * 3600 * 1000;

function toView(n: Notification): NotificationView {
  return { id: n.id, kind: n.kind, caseId: n.caseId, caseNumber: n.caseNumber, message: n.message, dueAt: n.dueAt, createdAt: n.createdAt, readAt: n.readAt };
}

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly clock: Clock,
    private readonly sender: NotificationSender,
  ) {}

  /** The user's own notifications, newest first. */
  async list(user: AuthUser, query: ListNotificationsQuery): Promise<NotificationPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { rows, total } = await this.repo.pageOf(user.id, query.unread === true, (page - 1) * pageSize, pageSize);
    return { items: rows.map(toView), total, page, pageSize };
  }

  /** Marks one of the user's own notifications read (the first reading time stays); another user's is a 404. */
  async markRead(user: AuthUser, id: string): Promise<NotificationView> {
    const n = await this.repo.markRead(user.id, id, this.clock.now());
    if (!n) throw notFound('Notification');
    return toView(n);
  }

  async markAllRead(user: AuthUser): Promise<{ updated: number }> {
    return { updated: await this.repo.markAllRead(user.id, this.clock.now()) };
  }

  /**
   * Hands these reminders' notifications that no channel took yet to the sender. Each is claimed
   * (sent_at set) before sending and released if the sender fails. Returns, per reminder whose
   * sending failed, the first error, so that its delivery job retries.
   */
  async sendUnsentOfReminders(reminderIds: string[]): Promise<Map<string, unknown>> {
    return this.sendClaimedOfReminders(await this.repo.claimUnsentOfReminders(reminderIds, this.clock.now()));
  }

  /**
   * Hands reminders' notifications already claimed (written claimed by the delivery, see
   * NotificationsRepository.insertClaimed) to the sender; as sendUnsentOfReminders from there on.
   */
  async sendClaimedOfReminders(claimed: Notification[]): Promise<Map<string, unknown>> {
    const failed = new Map<string, unknown>();
    for (const { notification, error } of await this.sendClaimed(claimed)) {
      if (notification.reminderId && !failed.has(notification.reminderId)) failed.set(notification.reminderId, error);
    }
    return failed;
  }

  /**
   * Hands immediate notifications (assignment, confirmation request, ruling) to the sender. Ones
   * older than a day (e.g. written by a data import) stay in the app: an SMS that late helps nobody.
   */
  async sendUnsentImmediate(limit = 100): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.repo.claimUnsentImmediate(new Date(now.getTime() - SEND_WITHIN_MS), limit, now);
    const failures = await this.sendClaimed(claimed);
    if (failures.length) throw failures[0].error;
    return claimed.length;
  }

  /**
   * Hands claimed notifications to the sender, all at once; the ones it refuses are logged and
   * released (sent_at cleared) so that a retry sends them. Returns those, with their errors.
   */
  private async sendClaimed(claimed: Notification[]): Promise<Array<{ notification: Notification; error: unknown }>> {
    const outcomes = await Promise.allSettled(
      claimed.map((n) =>
        this.sender.send({ id: n.id, userId: n.userId, kind: n.kind, caseId: n.caseId, caseNumber: n.caseNumber, message: n.message, dueAt: n.dueAt, createdAt: n.createdAt }),
      ),
    );
    const failures = claimed.flatMap((notification, i) => {
      const outcome = outcomes[i];
      return outcome.status === 'rejected' ? [{ notification, error: outcome.reason as unknown }] : [];
    });
    for (const { notification, error } of failures) this.logger.warn(`sending notification ${notification.id} failed: ${(error as Error).message}`);
    await this.repo.release(failures.map((f) => f.notification.id));
    return failures;
  }
}
