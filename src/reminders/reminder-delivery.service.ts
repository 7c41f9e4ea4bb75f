import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { NotificationsService } from '../notifications/notifications.service';
import { DeliveryOutcome, DueReminders, isActive } from './due-reminders';
import { ReminderHead, RemindersRepository } from './reminders.repository';

export type { DeliveryOutcome } from './due-reminders';

/** A job that runs this much before its reminder's time (clock skew between hosts) still delivers. */
export const EARLY_TOLERANCE_MS = 1000;

/**
 * Reminders delivered in one transaction at most (the processor's concurrency bounds it too). At
 * 1,000 rather than 500 a burst of 100,000 is half the transactions, commits (each a WAL flush to
 * wait for) and statements: in the bench, for about the same CPU, delivered in a third to two
 * thirds of the time (bench/results/2026-11-28-reminders-burst.md).
 */
export const MAX_DELIVERY_BATCH = 1000;
/** Delivery transactions running at once; while they run, new requests gather into the next batch. */
const MAX_BATCHES_IN_FLIGHT = 3;

/** What a group's job did: counts by outcome, the reminders that failed (to retry) and the wait of those not due yet. */
export interface GroupOutcome {
  reminders: number;
  delivered: number;
  skipped: number;
  alreadyDone: number;
  failed: string[];
  firstError?: string;
  /** The longest wait of a reminder not due yet (null: none). */
  waitMs: number | null;
}

interface Waiter {
  reminderId: string;
  /** The row as already read (a group's job reads its rows' heads), so the batch need not read it again. */
  head?: ReminderHead;
  resolve: (outcome: DeliveryOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Delivers reminders: those due go through DueReminders in one transaction under the cases' row
 * locks (the checks, recipients, effects and notifications, written claimed for the sender), then
 * the sender gets those notifications.
 *
 * Requests are gathered: while a delivery transaction runs, the reminders asked for meanwhile
 * (the processor works many jobs at once) wait and then go together in one transaction, so that
 * a burst of due reminders costs a few statements and one commit per batch rather than per
 * reminder. A batch that fails is retried one reminder at a time, so that one bad row fails
 * only its own job.
 */
@Injectable()
export class ReminderDeliveryService {
  private waiting: Waiter[] = [];
  private inFlight = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly repo: RemindersRepository,
    private readonly due: DueReminders,
    private readonly notifications: NotificationsService,
  ) {}

  /** Delivers one reminder (gathered with others asked for at the same time). */
  deliver(reminderId: string, head?: ReminderHead): Promise<DeliveryOutcome> {
    return new Promise<DeliveryOutcome>((resolve, reject) => {
      this.waiting.push({ reminderId, head, resolve, reject });
      this.startBatches();
    });
  }

  /**
   * Delivers a group's reminders (its active rows, or `onlyIds` on a retry): they join the batches
   * like any other request, so a group of MAX_DELIVERY_BATCH is one transaction.
   */
  async deliverGroup(groupId: string, onlyIds?: string[]): Promise<GroupOutcome> {
    const heads = onlyIds ? undefined : await this.repo.activeHeadsOfJob(groupId);
    const ids = onlyIds ?? heads!.map((h) => h.id);
    const settled = await Promise.allSettled(ids.map((id, i) => this.deliver(id, heads?.[i])));
    const result: GroupOutcome = { reminders: ids.length, delivered: 0, skipped: 0, alreadyDone: 0, failed: [], waitMs: null };
    settled.forEach((s, i) => {
      if (s.status === 'rejected') {
        result.failed.push(ids[i]);
        result.firstError ??= s.reason instanceof Error ? s.reason.message : String(s.reason);
      } else if (s.value.outcome === 'delivered') result.delivered++;
      else if (s.value.outcome === 'skipped') result.skipped++;
      else if (s.value.outcome === 'too-early') result.waitMs = Math.max(result.waitMs ?? 0, s.value.waitMs);
      else result.alreadyDone++;
    });
    return result;
  }

  private startBatches(): void {
    while (this.waiting.length && this.inFlight < MAX_BATCHES_IN_FLIGHT) {
      const batch = this.waiting.splice(0, MAX_DELIVERY_BATCH);
      this.inFlight++;
      void this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.startBatches();
      });
    }
  }

  private async runBatch(batch: Waiter[]): Promise<void> {
    let results: Map<string, DeliveryOutcome | { error: unknown }>;
    try {
      results = await this.deliverBatch(
        batch.map((w) => w.reminderId),
        batch.flatMap((w) => (w.head ? [w.head] : [])),
      );
    } catch {
      // A deadlock, a lost connection, a bad row: each reminder alone, so only the culprit fails.
      results = new Map();
      for (const id of new Set(batch.map((w) => w.reminderId))) {
        try {
          results.set(id, (await this.deliverBatch([id])).get(id)!);
        } catch (error) {
          results.set(id, { error });
        }
      }
    }
    const answered = new Set<string>();
    for (const w of batch) {
      const result = results.get(w.reminderId)!;
      if ('error' in result) w.reject(result.error);
      // The same reminder asked for twice in one batch (a duplicate job): the first asker did the work.
      else if (answered.has(w.reminderId)) w.resolve(asRepeat(result));
      else w.resolve(result);
      answered.add(w.reminderId);
    }
  }

  /**
   * Delivers these reminders in one transaction, then hands their notifications (written claimed)
   * to the sender. Returns each reminder's outcome, or the sender's error for a reminder whose job
   * should retry. `known`: heads already read (a pre-check only: what counts is read again under the locks).
   */
  async deliverBatch(reminderIds: string[], known: ReminderHead[] = []): Promise<Map<string, DeliveryOutcome | { error: unknown }>> {
    const ids = [...new Set(reminderIds)];
    const results = new Map<string, DeliveryOutcome | { error: unknown }>();
    const byId = new Map(known.map((h) => [h.id, h]));
    const unread = ids.filter((id) => !byId.has(id));
    if (unread.length) for (const h of await this.repo.heads(unread)) byId.set(h.id, h);
    // Delivered before (a retry after the sender failed): the notifications exist, only the channel is left.
    const sendAgain: string[] = [];
    const due: ReminderHead[] = [];
    const nowMs = this.clock.now().getTime();
    for (const id of ids) {
      const head = byId.get(id);
      if (!head) results.set(id, { outcome: 'missing' });
      else if (head.status === 'delivered') {
        results.set(id, { outcome: 'already-done', status: head.status });
        sendAgain.push(id);
      } else if (!isActive(head.status)) results.set(id, { outcome: 'already-done', status: head.status });
      else if (head.fireAt.getTime() - nowMs > EARLY_TOLERANCE_MS) results.set(id, { outcome: 'too-early', waitMs: head.fireAt.getTime() - nowMs });
      else due.push(head);
    }

    if (due.length) {
      const now = this.clock.now();
      const { outcomes, claimed } = await this.dataSource.transaction((em) => this.due.deliver(em, due, now));
      for (const [id, outcome] of outcomes) results.set(id, outcome);
      if (claimed.length) for (const [id, error] of await this.notifications.sendClaimedOfReminders(claimed)) results.set(id, { error });
    }
    if (sendAgain.length) {
      for (const [id, error] of await this.notifications.sendUnsentOfReminders(sendAgain)) results.set(id, { error });
    }
    return results;
  }
}

/** The outcome seen by a second request for a reminder that the first request of the batch handled. */
function asRepeat(result: DeliveryOutcome): DeliveryOutcome {
  if (result.outcome === 'delivered') return { outcome: 'already-done', status: 'delivered' };
  if (result.outcome === 'skipped') return { outcome: 'already-done', status: 'skipped' };
  return result;
}
