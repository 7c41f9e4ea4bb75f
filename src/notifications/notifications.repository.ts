import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { Notification } from './notification.entity';

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
  reminder_id: string | null;
  kind: string;
  case_id: string | null;
  case_number: string | null;
  message: string;
  due_at: Date | null;
  created_at: Date;
  read_at: Date | null;
  sent_at: Date | null;
}

const COLUMNS = 'id, user_id, reminder_id, kind, case_id, case_number, message, due_at, created_at, read_at, sent_at';

/** A row read by raw SQL (RETURNING), as the entity. */
function toEntity(r: NotificationRow): Notification {
  return Object.assign(new Notification(), {
    id: r.id,
    userId: r.user_id,
    reminderId: r.reminder_id,
    kind: r.kind,
    caseId: r.case_id,
    caseNumber: r.case_number,
    message: r.message,
    dueAt: r.due_at,
    createdAt: r.created_at,
    readAt: r.read_at,
    sentAt: r.sent_at,
  });
}

/**
 * The SQL of notifications. The in-app list goes through the entity's repository; the bulk
 * insert (with its at-most-once conflict rule) and the claims of the sender need raw SQL.
 */
@Injectable()
export class NotificationsRepository {
  private readonly entities: Repository<Notification>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.entities = dataSource.getRepository(Notification);
  }

  /**
   * Writes notifications in the caller's transaction. For a reminder the unique
   * (reminder_id, user_id) index makes a repeat insert nothing. Returns the rows inserted.
   */
  async insert(em: EntityManager, rows: NewNotification[], now: Date): Promise<Array<{ id: string; reminderId: string | null; userId: string }>> {
    return (await this.insertRows(em, rows, now, null)).map((r) => ({ id: r.id, reminderId: r.reminder_id, userId: r.user_id }));
  }

  /**
   * Writes reminders' notifications as insert() does, already claimed for the sender (sent_at set,
   * as claimUnsentOfReminders would after the commit): the delivery's own transaction makes the
   * claim, instead of a second update of every row just written. Returns the rows inserted, to send.
   */
  async insertClaimed(em: EntityManager, rows: NewNotification[], now: Date): Promise<Notification[]> {
    return (await this.insertRows(em, rows, now, now)).map(toEntity);
  }

  private async insertRows(em: EntityManager, rows: NewNotification[], now: Date, sentAt: Date | null): Promise<NotificationRow[]> {
    const seen = new Set<string>();
    const unique = rows.filter((r) => {
      const key = `${r.reminderId ?? ''}|${r.userId}|${r.reminderId ? '' : r.kind}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    if (!unique.length) return [];
    return em.query(
      `INSERT INTO notifications (user_id, reminder_id, kind, case_id, case_number, message, due_at, created_at, sent_at)
       SELECT *, $9::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::uuid[], $5::varchar[], $6::text[], $7::timestamptz[], $8::timestamptz[])
       ON CONFLICT (reminder_id, user_id) WHERE reminder_id IS NOT NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        unique.map((r) => r.userId),
        unique.map((r) => r.reminderId),
        unique.map((r) => r.kind),
        unique.map((r) => r.caseId),
        unique.map((r) => r.caseNumber),
        unique.map((r) => r.message),
        unique.map((r) => r.dueAt),
        unique.map(() => now),
        sentAt,
      ],
    );
  }

  /** A user's notifications, newest first, and how many there are. */
  async pageOf(userId: string, unreadOnly: boolean, offset: number, limit: number): Promise<{ rows: Notification[]; total: number }> {
    const [rows, total] = await this.entities.findAndCount({
      where: unreadOnly ? { userId, readAt: IsNull() } : { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: offset,
      take: limit,
    });
    return { rows, total };
  }

  /** Marks one of the user's own notifications read (the first reading time stays); undefined when there is none. */
  async markRead(userId: string, id: string, now: Date): Promise<Notification | undefined> {
    const [rows]: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId, now],
    );
    return rows.length ? toEntity(rows[0]) : undefined;
  }

  async markAllRead(userId: string, now: Date): Promise<number> {
    const result = await this.entities.update({ userId, readAt: IsNull() }, { readAt: now });
    return result.affected ?? 0;
  }

  /**
   * Claims (sets sent_at on) these reminders' notifications that no channel took yet; rows another
   * claimer holds are passed over. The update is narrowed to these reminders before it matches the
   * claimed ids: with statistics that say the table is empty, a bare `id IN (...)` was planned as a
   * scan of the whole table per claimed row.
   */
  async claimUnsentOfReminders(reminderIds: string[], now: Date): Promise<Notification[]> {
    const [rows]: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notifications SET sent_at = $2
        WHERE reminder_id = ANY($1::uuid[]) AND id IN (SELECT id FROM notifications WHERE reminder_id = ANY($1::uuid[]) AND sent_at IS NULL FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [reminderIds, now],
    );
    return rows.map(toEntity);
  }

  /** Claims up to `limit` immediate notifications (no reminder) written after `since` and not sent yet, oldest first. */
  async claimUnsentImmediate(since: Date, limit: number, now: Date): Promise<Notification[]> {
    const [rows]: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notifications SET sent_at = $3
        WHERE sent_at IS NULL AND reminder_id IS NULL AND id IN (SELECT id FROM notifications WHERE sent_at IS NULL AND reminder_id IS NULL AND created_at > $1 ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [since, limit, now],
    );
    return rows.map(toEntity);
  }

  /** Gives claimed notifications back (the sender refused them), so that a retry sends them. */
  async release(ids: string[]): Promise<void> {
    if (ids.length) await this.dataSource.query(`UPDATE notifications SET sent_at = NULL WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
