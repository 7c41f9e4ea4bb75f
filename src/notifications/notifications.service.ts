import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors/domain-error';
import { ListNotificationsQuery, NotificationPage, NotificationView } from './notification.dto';
import { NotificationSender, OutgoingNotification } from './notification-sender';

export interface NewNotification {
  userId: string;
  /** Set for a reminder's notifications: at most one per reminder and user. */
  reminderId: string | null;
  kind: string;
  caseId: string | null;
  caseNumber: string | null;
  message: string;
  dueAt: Date | null;
}

interface NotificationRow {
  id: string;
  user_id: string;
  kind: string;
  case_id: string | null;
  case_number: string | null;
  message: string;
  due_at: Date | null;
  created_at: Date;
  read_at: Date | null;
}

/** How old an immediate notification may be and still go to the sender. */
const SEND_WITHIN_MS = 24 * 3600 * 1000;

const COLUMNS = 'id, user_id, kind, case_id, case_number, message, due_at, created_at, read_at';

function toView(r: NotificationRow): NotificationView {
  return { id: r.id, kind: r.kind, caseId: r.case_id, caseNumber: r.case_number, message: r.message, dueAt: r.due_at, createdAt: r.created_at, readAt: r.read_at };
}

function toOutgoing(r: NotificationRow): OutgoingNotification {
  return { id: r.id, userId: r.user_id, kind: r.kind, caseId: r.case_id, caseNumber: r.case_number, message: r.message, dueAt: r.due_at, createdAt: r.created_at };
}

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sender: NotificationSender,
  ) {}

  /**
   * Writes notifications in the caller's transaction. For a reminder the unique
   * (reminder_id, user_id) index makes a repeat insert nothing. Returns the rows inserted.
   */
  async insert(em: EntityManager, rows: NewNotification[], now: Date): Promise<Array<{ id: string; reminderId: string | null; userId: string }>> {
    const seen = new Set<string>();
    const unique = rows.filter((r) => {
      const key = `${r.reminderId ?? ''}|${r.userId}|${r.reminderId ? '' : r.kind}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    if (!unique.length) return [];
    const inserted: Array<{ id: string; reminder_id: string | null; user_id: string }> = await em.query(
      `INSERT INTO notifications (user_id, reminder_id, kind, case_id, case_number, message, due_at, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::uuid[], $5::varchar[], $6::text[], $7::timestamptz[], $8::timestamptz[])
       ON CONFLICT (reminder_id, user_id) WHERE reminder_id IS NOT NULL DO NOTHING
       RETURNING id, reminder_id, user_id`,
      [
        unique.map((r) => r.userId),
        unique.map((r) => r.reminderId),
        unique.map((r) => r.kind),
        unique.map((r) => r.caseId),
        unique.map((r) => r.caseNumber),
        unique.map((r) => r.message),
        unique.map((r) => r.dueAt),
        unique.map(() => now),
      ],
    );
    return inserted.map((r) => ({ id: r.id, reminderId: r.reminder_id, userId: r.user_id }));
  }

  /** The user's own notifications, newest first. */
  async list(user: AuthUser, query: ListNotificationsQuery): Promise<NotificationPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const unreadOnly = query.unread === true ? 'AND read_at IS NULL' : '';
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT ${COLUMNS} FROM notifications WHERE user_id = $1 ${unreadOnly} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, [
        user.id,
        pageSize,
        (page - 1) * pageSize,
      ]),
      this.dataSource.query(`SELECT count(*)::int AS total FROM notifications WHERE user_id = $1 ${unreadOnly}`, [user.id]),
    ]);
    return { items: rows.map(toView), total, page, pageSize };
  }

  /** Marks one of the user's own notifications read (the first reading time stays); another user's is a 404. */
  async markRead(user: AuthUser, id: string): Promise<NotificationView> {
    const [rows] = await this.dataSource.query(
      `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, user.id, this.clock.now()],
    );
    if (!rows?.length) throw notFound('Notification');
    return toView(rows[0]);
  }

  async markAllRead(user: AuthUser): Promise<{ updated: number }> {
    const [, updated] = await this.dataSource.query(`UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, [user.id, this.clock.now()]);
    return { updated: Number(updated) };
  }

  /**
   * Hands these reminders' notifications that no channel took yet to the sender. Each is claimed
   * (sent_at set) before sending and released if the sender fails. Returns, per reminder whose
   * sending failed, the first error, so that its delivery job retries.
   */
  async sendUnsentOfReminders(reminderIds: string[]): Promise<Map<string, unknown>> {
    const [claimed]: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notifications SET sent_at = $2
        WHERE id IN (SELECT id FROM notifications WHERE reminder_id = ANY($1::uuid[]) AND sent_at IS NULL FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}, reminder_id`,
      [reminderIds, this.clock.now()],
    );
    const failed = new Map<string, unknown>();
    for (const { row, error } of await this.sendClaimed(claimed)) {
      const reminderId = (row as NotificationRow & { reminder_id: string }).reminder_id;
      if (!failed.has(reminderId)) failed.set(reminderId, error);
    }
    return failed;
  }

  /**
   * Hands immediate notifications (assignment, confirmation request, ruling) to the sender. Ones
   * older than a day (e.g. written by a data import) stay in the app: an SMS that late helps nobody.
   */
  async sendUnsentImmediate(limit = 100): Promise<number> {
    const since = new Date(this.clock.now().getTime() - SEND_WITHIN_MS);
    return this.claimAndSend(`reminder_id IS NULL AND created_at > $1`, [since], limit);
  }

  private async claimAndSend(condition: string, params: unknown[], limit: number): Promise<number> {
    const [claimed]: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notifications SET sent_at = $${params.length + 1}
        WHERE id IN (SELECT id FROM notifications WHERE sent_at IS NULL AND ${condition} ORDER BY created_at, id LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [...params, this.clock.now()],
    );
    const failures = await this.sendClaimed(claimed);
    if (failures.length) throw failures[0].error;
    return claimed.length;
  }

  /**
   * Hands claimed notifications to the sender, all at once; the ones it refuses are logged and
   * released (sent_at cleared) so that a retry sends them. Returns those, with their errors.
   */
  private async sendClaimed(claimed: NotificationRow[]): Promise<Array<{ row: NotificationRow; error: unknown }>> {
    const outcomes = await Promise.allSettled(claimed.map((row) => this.sender.send(toOutgoing(row))));
    const failures = claimed.flatMap((row, i) => {
      const outcome = outcomes[i];
      return outcome.status === 'rejected' ? [{ row, error: outcome.reason as unknown }] : [];
    });
    for (const { row, error } of failures) this.logger.warn(`sending notification ${row.id} failed: ${(error as Error).message}`);
    if (failures.length) await this.dataSource.query(`UPDATE notifications SET sent_at = NULL WHERE id = ANY($1::uuid[])`, [failures.map((f) => f.row.id)]);
    return failures;
  }
}
