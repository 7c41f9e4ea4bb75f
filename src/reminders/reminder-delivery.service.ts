import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../auth/role.enum';
import { OPEN_STATUSES } from '../case-core/case-lifecycle';
import { Clock } from '../common/clock';
import { insertCaseEvent } from '../case-core/case-events';
import { NewNotification, NotificationsService } from '../notifications/notifications.service';
import { ReminderKind } from './reminder-kinds';
import { messages } from './reminder-messages';
import { breachRemedy } from './breach-remedy';
import { CaseStatus, DisputeType } from '../case-core/case-lifecycle';

/** A job that runs this much before its reminder's time (clock skew between hosts) still delivers. */
export const EARLY_TOLERANCE_MS = 1000;

export type DeliveryOutcome =
  | { outcome: 'delivered'; notified: number }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'already-done'; status: string }
  | { outcome: 'missing' }
  | { outcome: 'too-early'; waitMs: number };

interface ReminderRow {
  id: string;
  kind: ReminderKind;
  case_id: string;
  subject_id: string | null;
  subject_seq: number | null;
  fire_at: Date;
  due_at: Date;
  status: string;
}

interface CaseRow {
  id: string;
  case_number: string;
  workstation_id: string;
  status: string;
  dispute_type: string;
  mediator_id: string | null;
  deadline_at: Date;
  overdue: boolean;
}

/** What a reminder comes to when its time has come: nothing (with why), or a message to some users. */
type Decision = { skip: string } | { recipients: string[]; message: string; apply?: () => Promise<void> };

const ACTIVE = ['pending', 'enqueued'];

/** Warnings ahead of a deadline: useless once it has passed (a worker that was down a day sends no stale "in 1 hour"). */
const WARNING_KINDS: ReadonlySet<ReminderKind> = new Set([
  ReminderKind.MediationDeadline,
  ReminderKind.SessionDayBefore,
  ReminderKind.SessionHourBefore,
  ReminderKind.ConfirmationApplication,
  ReminderKind.AcceptanceDue,
  ReminderKind.RulingDue,
  ReminderKind.InstallmentDue,
]);

/** Reminders delivered in one transaction at most (the processor's concurrency bounds it too). */
export const MAX_DELIVERY_BATCH = 100;
/** Delivery transactions running at once; while they run, new requests gather into the next batch. */
const MAX_BATCHES_IN_FLIGHT = 2;

interface Waiter {
  reminderId: string;
  resolve: (outcome: DeliveryOutcome) => void;
  reject: (error: unknown) => void;
}

/** Per batch: users looked up once, whichever reminder of the batch asks. */
class RecipientCache {
  private readonly byKey = new Map<string, Promise<string[]>>();

  constructor(private readonly em: EntityManager) {}

  /** Seeds the cache with which of these (mediator) ids are active users, in one query. */
  async preloadActive(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const rows: Array<{ id: string }> = await this.em.query(`SELECT id FROM users WHERE id = ANY($1::uuid[]) AND active`, [ids]);
    const active = new Set(rows.map((r) => r.id));
    for (const id of ids) this.byKey.set(`user:${id}`, Promise.resolve(active.has(id) ? [id] : []));
  }

  /** The user, if active: [] otherwise. */
  user(id: string): Promise<string[]> {
    return this.memo(`user:${id}`, async () => {
      const rows: Array<{ id: string }> = await this.em.query(`SELECT id FROM users WHERE id = $1 AND active`, [id]);
      return rows.map((u) => u.id);
    });
  }

  /** Active users of a role at a workstation (null: city level). */
  usersOf(role: Role, workstationId: string | null): Promise<string[]> {
    return this.memo(`${role}:${workstationId ?? 'city'}`, async () => {
      const rows: Array<{ id: string }> =
        workstationId === null
          ? await this.em.query(`SELECT id FROM users WHERE role = $1 AND workstation_id IS NULL AND active ORDER BY id`, [role])
          : await this.em.query(`SELECT id FROM users WHERE role = $1 AND workstation_id = $2 AND active ORDER BY id`, [role, workstationId]);
      return rows.map((u) => u.id);
    });
  }

  private memo(key: string, load: () => Promise<string[]>): Promise<string[]> {
    let found = this.byKey.get(key);
    if (!found) this.byKey.set(key, (found = load()));
    return found;
  }
}

/**
 * Delivers reminders: re-checks at delivery time that each one's condition still holds, resolves
 * the recipients then (the case's current mediator, the workstation's clerks or union staff),
 * applies the overdue / breach flags, writes the notifications (unique per reminder and user) and
 * marks the rows delivered, in one transaction under the cases' row locks. Then the sender gets them.
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
    private readonly notifications: NotificationsService,
  ) {}

  /** Delivers one reminder (gathered with others asked for at the same time). */
  deliver(reminderId: string): Promise<DeliveryOutcome> {
    return new Promise<DeliveryOutcome>((resolve, reject) => {
      this.waiting.push({ reminderId, resolve, reject });
      this.startBatches();
    });
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
      results = await this.deliverBatch(batch.map((w) => w.reminderId));
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
   * Delivers these reminders in one transaction, then hands their notifications to the sender.
   * Returns each reminder's outcome, or the sender's error for a reminder whose job should retry.
   */
  async deliverBatch(reminderIds: string[]): Promise<Map<string, DeliveryOutcome | { error: unknown }>> {
    const ids = [...new Set(reminderIds)];
    const results = new Map<string, DeliveryOutcome | { error: unknown }>();
    const heads: Array<Pick<ReminderRow, 'id' | 'case_id' | 'status' | 'fire_at'>> = await this.dataSource.query(
      `SELECT id, case_id, status, fire_at FROM reminders WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(heads.map((h) => [h.id, h]));
    const toSend: string[] = [];
    const due: typeof heads = [];
    const nowMs = this.clock.now().getTime();
    for (const id of ids) {
      const head = byId.get(id);
      if (!head) results.set(id, { outcome: 'missing' });
      else if (head.status === 'delivered') {
        // A retry after the sender failed: the notifications exist, only the channel is left.
        results.set(id, { outcome: 'already-done', status: head.status });
        toSend.push(id);
      } else if (!ACTIVE.includes(head.status)) results.set(id, { outcome: 'already-done', status: head.status });
      else if (head.fire_at.getTime() - nowMs > EARLY_TOLERANCE_MS) results.set(id, { outcome: 'too-early', waitMs: head.fire_at.getTime() - nowMs });
      else due.push(head);
    }

    if (due.length) {
      const outcomes = await this.dataSource.transaction((em) => this.deliverDue(em, due));
      for (const [id, outcome] of outcomes) {
        results.set(id, outcome);
        if (outcome.outcome === 'delivered') toSend.push(id);
      }
    }
    if (toSend.length) {
      for (const [id, error] of await this.notifications.sendUnsentOfReminders(toSend)) results.set(id, { error });
    }
    return results;
  }

  private async deliverDue(em: EntityManager, due: Array<Pick<ReminderRow, 'id' | 'case_id'>>): Promise<Map<string, DeliveryOutcome>> {
    // Cases first, then the reminders, each in id order: the order of a case change that cancels reminders.
    const cases: CaseRow[] = await em.query(
      `SELECT id, case_number, workstation_id, status, dispute_type, mediator_id, deadline_at, overdue FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [[...new Set(due.map((d) => d.case_id))]],
    );
    const caseById = new Map(cases.map((c) => [c.id, c]));
    const locked: ReminderRow[] = await em.query(
      `SELECT id, kind, case_id, subject_id, subject_seq, fire_at, due_at, status FROM reminders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [due.map((d) => d.id)],
    );
    const reminderById = new Map(locked.map((r) => [r.id, r]));
    const recipients = new RecipientCache(em);
    await recipients.preloadActive([...new Set(cases.map((c) => c.mediator_id).filter((id): id is string => id !== null))]);

    const now = this.clock.now();
    const outcomes = new Map<string, DeliveryOutcome>();
    const skipped: Array<{ id: string; reason: string }> = [];
    const delivered: ReminderRow[] = [];
    const notes: NewNotification[] = [];
    for (const { id } of due) {
      const r = reminderById.get(id);
      if (!r) {
        outcomes.set(id, { outcome: 'missing' });
        continue;
      }
      if (!ACTIVE.includes(r.status)) {
        outcomes.set(id, { outcome: 'already-done', status: r.status });
        continue;
      }
      const c = caseById.get(r.case_id)!;
      const decision = await this.decide(em, recipients, r, c, now);
      if ('skip' in decision) {
        skipped.push({ id, reason: decision.skip });
        outcomes.set(id, { outcome: 'skipped', reason: decision.skip });
        continue;
      }
      await decision.apply?.();
      const users = [...new Set(decision.recipients)];
      notes.push(...users.map((userId) => ({ userId, reminderId: r.id, kind: r.kind, caseId: c.id, caseNumber: c.case_number, message: decision.message, dueAt: r.due_at })));
      delivered.push(r);
    }

    if (skipped.length) {
      await em.query(
        `UPDATE reminders r SET status = 'skipped', skip_reason = s.reason, delivered_at = $3 FROM unnest($1::uuid[], $2::text[]) AS s(id, reason) WHERE r.id = s.id`,
        [skipped.map((s) => s.id), skipped.map((s) => s.reason), now],
      );
    }
    if (delivered.length) {
      // Counted from what was inserted: a notification already there (unique per reminder and user) is not counted twice.
      const notified = new Map<string, number>();
      for (const n of await this.notifications.insert(em, notes, now)) notified.set(n.reminderId!, (notified.get(n.reminderId!) ?? 0) + 1);
      for (const r of delivered) outcomes.set(r.id, { outcome: 'delivered', notified: notified.get(r.id) ?? 0 });
      await em.query(`UPDATE reminders SET status = 'delivered', delivered_at = $2 WHERE id = ANY($1::uuid[])`, [delivered.map((r) => r.id), now]);
    }
    return outcomes;
  }

  private async decide(em: EntityManager, recipients: RecipientCache, r: ReminderRow, c: CaseRow, now: Date): Promise<Decision> {
    if (WARNING_KINDS.has(r.kind) && now.getTime() > r.due_at.getTime()) return { skip: 'deadline already passed' };
    const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
    switch (r.kind) {
      case ReminderKind.MediationDeadline:
      case ReminderKind.MediationOverdue: {
        if (!open) return { skip: `case is ${c.status}` };
        if (c.deadline_at.getTime() !== r.due_at.getTime()) return { skip: 'deadline moved' };
        if (c.overdue) return { skip: 'case already flagged overdue' };
        if (r.kind === ReminderKind.MediationDeadline) {
          return { recipients: await this.mediator(recipients, c), message: messages.mediationDeadline(c.case_number, c.deadline_at) };
        }
        return {
          recipients: await this.unionStaff(recipients, c.workstation_id),
          message: messages.mediationOverdue(c.case_number, c.deadline_at),
          apply: () => this.flagOverdue(em, c, now),
        };
      }
      case ReminderKind.SessionDayBefore:
      case ReminderKind.SessionHourBefore: {
        const [s]: Array<{ status: string; scheduled_at: Date; mode: string; location: string | null }> = await em.query(
          `SELECT status, scheduled_at, mode, location FROM case_sessions WHERE id = $1`,
          [r.subject_id],
        );
        if (!s || s.status !== 'scheduled') return { skip: `session is ${s?.status ?? 'gone'}` };
        if (s.scheduled_at.getTime() !== r.due_at.getTime()) return { skip: 'session moved' };
        if (!open) return { skip: `case is ${c.status}` };
        const hours = r.kind === ReminderKind.SessionDayBefore ? 24 : 1;
        return { recipients: await this.mediator(recipients, c), message: messages.session(c.case_number, s.scheduled_at, s.mode, s.location, hours) };
      }
      case ReminderKind.ConfirmationApplication: {
        if (c.status !== 'agreement_reached') return { skip: `case is ${c.status}` };
        const [waived] = await em.query(`SELECT 1 FROM cases WHERE id = $1 AND confirmation_waived_at IS NOT NULL`, [c.id]);
        if (waived) return { skip: 'confirmation waived' };
        const [requested] = await em.query(`SELECT 1 FROM confirmations WHERE case_id = $1 AND superseded_at IS NULL`, [c.id]);
        if (requested) return { skip: 'confirmation already requested' };
        const [a]: Array<{ effective_at: Date }> = await em.query(`SELECT effective_at FROM agreements WHERE id = $1 AND superseded_at IS NULL`, [r.subject_id]);
        if (!a) return { skip: 'agreement gone' };
        return { recipients: await this.mediator(recipients, c), message: messages.confirmationApplication(c.case_number, a.effective_at, r.subject_seq ?? 0, r.due_at) };
      }
      case ReminderKind.AcceptanceDue: {
        const [f]: Array<{ status: string; applied_at: Date; workstation_id: string; superseded_at: Date | null }> = await em.query(
          `SELECT status, applied_at, workstation_id, superseded_at FROM confirmations WHERE id = $1`,
          [r.subject_id],
        );
        if (!f || f.superseded_at || f.status !== 'pending') return { skip: `confirmation is ${f?.status ?? 'gone'}` };
        return { recipients: await recipients.usersOf(Role.CourtClerk, f.workstation_id), message: messages.acceptanceDue(c.case_number, f.applied_at, r.due_at) };
      }
      case ReminderKind.RulingDue:
      case ReminderKind.RulingOverdue: {
        const [f]: Array<{ status: string; accepted_at: Date | null; ruling_due_at: Date | null; workstation_id: string; superseded_at: Date | null }> = await em.query(
          `SELECT status, accepted_at, ruling_due_at, workstation_id, superseded_at FROM confirmations WHERE id = $1`,
          [r.subject_id],
        );
        if (!f || f.superseded_at || f.status !== 'accepted' || !f.accepted_at) return { skip: `confirmation is ${f?.status ?? 'gone'}` };
        if (f.ruling_due_at && f.ruling_due_at.getTime() !== r.due_at.getTime()) return { skip: 'ruling period moved' };
        const clerks = await recipients.usersOf(Role.CourtClerk, f.workstation_id);
        if (r.kind === ReminderKind.RulingDue) return { recipients: clerks, message: messages.rulingDue(c.case_number, f.accepted_at, r.due_at) };
        return { recipients: [...clerks, ...(await this.unionStaff(recipients, f.workstation_id))], message: messages.rulingOverdue(c.case_number, f.accepted_at, r.due_at) };
      }
      case ReminderKind.InstallmentDue:
      case ReminderKind.InstallmentBreach: {
        const [i]: Array<{ due_date: string; amount: string; paid_at: Date | null; in_breach: boolean }> = await em.query(
          `SELECT i.due_date::text AS due_date, i.amount::text AS amount, i.paid_at, a.in_breach
             FROM installments i JOIN agreements a ON a.id = i.agreement_id
            WHERE i.agreement_id = $1 AND i.seq = $2`,
          [r.subject_id, r.subject_seq],
        );
        if (!i) return { skip: 'installment gone' };
        if (i.paid_at) return { skip: 'installment paid' };
        const seq = r.subject_seq!;
        if (r.kind === ReminderKind.InstallmentDue) {
          return { recipients: await this.mediator(recipients, c), message: messages.installmentDue(c.case_number, seq, i.amount, i.due_date) };
        }
        return {
          recipients: await this.mediator(recipients, c),
          message: messages.installmentBreach(c.case_number, seq, i.amount, i.due_date, breachRemedy(c.status as CaseStatus, c.dispute_type as DisputeType)),
          apply: () => this.flagBreach(em, c, r.subject_id!, seq, i, now),
        };
      }
      default:
        return { skip: `unknown reminder kind ${String(r.kind)}` };
    }
  }

  /** At expiry of the mediation period an open case is flagged overdue: a change of the case, so version and timeline too. */
  private async flagOverdue(em: EntityManager, c: CaseRow, now: Date): Promise<void> {
    await em.query(`UPDATE cases SET overdue = true, version = version + 1, updated_at = $2 WHERE id = $1`, [c.id, now]);
    await insertCaseEvent(em, c.id, 'flagged_overdue', null, now, { overdue: false, deadlineAt: c.deadline_at }, { overdue: true, deadlineAt: c.deadline_at });
    // Later reminders of this batch see the case as it now is.
    c.overdue = true;
  }

  /** An installment unpaid a day after its due date puts the agreement in breach (the first breach date stays). */
  private async flagBreach(em: EntityManager, c: CaseRow, agreementId: string, seq: number, i: { due_date: string; amount: string; in_breach: boolean }, now: Date): Promise<void> {
    await em.query(`UPDATE agreements SET in_breach = true, breached_at = coalesce(breached_at, $2) WHERE id = $1`, [agreementId, now]);
    await em.query(`UPDATE cases SET version = version + 1, updated_at = $2 WHERE id = $1`, [c.id, now]);
    await insertCaseEvent(em, c.id, 'agreement_in_breach', null, now, { inBreach: i.in_breach }, { inBreach: true, installment: seq, dueDate: i.due_date, amount: i.amount });
  }

  /** The case's mediator as of now (it may have changed since the reminder was planned). */
  private mediator(recipients: RecipientCache, c: CaseRow): Promise<string[]> {
    return c.mediator_id ? recipients.user(c.mediator_id) : Promise.resolve([]);
  }

  /** The workstation's union staff; city-level union staff when the workstation has none. */
  private async unionStaff(recipients: RecipientCache, workstationId: string): Promise<string[]> {
    const own = await recipients.usersOf(Role.UnionStaff, workstationId);
    return own.length ? own : recipients.usersOf(Role.UnionStaff, null);
  }
}

/** The outcome seen by a second request for a reminder that the first request of the batch handled. */
function asRepeat(result: DeliveryOutcome): DeliveryOutcome {
  if (result.outcome === 'delivered') return { outcome: 'already-done', status: 'delivered' };
  if (result.outcome === 'skipped') return { outcome: 'already-done', status: 'skipped' };
  return result;
}
