import { getQueueToken } from '@nestjs/bullmq';
import { Type } from '@nestjs/common';
import { Queue } from 'bullmq';
import { NotificationSender, OutgoingNotification } from '../../src/notifications/notification-sender';
import { OUTBOX_POLL_MS } from '../../src/reminders/outbox-dispatcher';
import { QueueName } from '../../src/queue/queue-names';
import { TestApp } from './test-app';

/** A sender that records what it is given (and can be told to fail). */
export class RecordingSender extends NotificationSender {
  readonly sent: OutgoingNotification[] = [];
  failuresLeft = 0;
  /**
   * Only notifications of this kind fail: the outbox's poll sends immediate ones (a case_assigned)
   * at any moment, and would take a failure meant for a reminder.
   */
  private failingKind: string | null = null;

  /** The next `count` notifications of `kind` fail. */
  failNext(kind: string, count = 1): void {
    this.failingKind = kind;
    this.failuresLeft = count;
  }

  async send(n: OutgoingNotification): Promise<void> {
    if (this.failuresLeft > 0 && (this.failingKind === null || n.kind === this.failingKind)) {
      this.failuresLeft -= 1;
      throw new Error('SMS gateway unavailable');
    }
    this.sent.push(n);
  }
}

/** Overrides for createTestApp: a fast outbox poll and a recording sender. */
export function reminderOverrides(sender: RecordingSender, pollMs = 150) {
  return [
    { provide: OUTBOX_POLL_MS, useValue: pollMs },
    { provide: NotificationSender as unknown as Type, useValue: sender },
  ];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function remindersQueue(t: TestApp): Queue {
  return t.app.get<Queue>(getQueueToken(QueueName.Reminders), { strict: false });
}

/**
 * "Time passes": moves the clock, then promotes the delayed reminder jobs so BullMQ runs them
 * now. A job whose reminder is still ahead of the new time goes back to waiting by itself (the
 * processor re-delays it), so only what is due by the clock is delivered.
 */
export async function jumpTo(t: TestApp, at: Date): Promise<void> {
  const queue = remindersQueue(t);
  // The jobs the last jump promoted first settle: one still running, whose reminders were not due
  // then, moves itself back to delayed (for the time left by the old clock) after we looked at the
  // delayed jobs, and would wait days (a flake of reminders-fault under load).
  // (A job left active by a killed worker stays so until it is found stalled: not waited for past 10 s.)
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
    const counts = await queue.getJobCounts('active', 'waiting', 'prioritized');
    if (!counts.active && !counts.waiting && !counts.prioritized) break;
  }
  t.clock.set(at);
  for (const job of await queue.getDelayed()) await job.promote().catch(() => undefined);
}

export interface ReminderRow {
  id: string;
  kind: string;
  case_id: string;
  subject_id: string | null;
  subject_seq: number | null;
  fire_at: Date;
  due_at: Date;
  status: string;
  skip_reason: string | null;
}

export async function remindersOf(t: TestApp, caseId: string): Promise<ReminderRow[]> {
  return t.db.query(`SELECT id, kind, case_id, subject_id, subject_seq, fire_at, due_at, status, skip_reason FROM reminders WHERE case_id = $1 ORDER BY fire_at, kind, created_at`, [caseId]);
}

/** Every outbox row of the case on the queue (or done): the dispatcher has seen them. */
export async function waitEnqueued(t: TestApp, caseId: string): Promise<ReminderRow[]> {
  return waitFor(`reminders of ${caseId} enqueued`, async () => {
    const rows = await remindersOf(t, caseId);
    return rows.every((r) => r.status !== 'pending') && rows;
  });
}

export interface NotificationRow {
  id: string;
  user_id: string;
  reminder_id: string | null;
  kind: string;
  case_id: string;
  case_number: string;
  message: string;
  due_at: Date | null;
  created_at: Date;
}

export async function notificationsOf(t: TestApp, caseId: string, kind?: string): Promise<NotificationRow[]> {
  return t.db.query(
    `SELECT id, user_id, reminder_id, kind, case_id, case_number, message, due_at, created_at FROM notifications WHERE case_id = $1 ${kind ? 'AND kind = $2' : ''} ORDER BY created_at, id`,
    kind ? [caseId, kind] : [caseId],
  );
}

export async function reminderStatus(t: TestApp, id: string): Promise<string> {
  const [row] = await t.db.query(`SELECT status FROM reminders WHERE id = $1`, [id]);
  return row?.status;
}
