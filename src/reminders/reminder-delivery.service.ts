import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../auth/role.enum';
import { OPEN_STATUSES } from '../cases/case-lifecycle';
import { Clock } from '../common/clock';
import { NotificationsService } from '../notifications/notifications.service';
import { ReminderKind } from './reminder-kinds';
import { messages } from './reminder-messages';

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
  ReminderKind.RulingDue,
  ReminderKind.InstallmentDue,
]);

/**
 * Delivers one reminder: re-checks at delivery time that its condition still holds, resolves the
 * recipients then (the case's current mediator, the workstation's clerks or union staff), applies
 * the overdue / breach flags, writes the notifications (unique per reminder and user) and marks
 * the row delivered, all in one transaction under the case row lock. Then the sender gets them.
 */
@Injectable()
export class ReminderDeliveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  async deliver(reminderId: string): Promise<DeliveryOutcome> {
    const [head]: Array<Pick<ReminderRow, 'case_id' | 'status' | 'fire_at'>> = await this.dataSource.query(`SELECT case_id, status, fire_at FROM reminders WHERE id = $1`, [reminderId]);
    if (!head) return { outcome: 'missing' };
    if (head.status === 'delivered') {
      // A retry after the sender failed: the notifications exist, only the channel is left.
      await this.notifications.sendUnsentOfReminder(reminderId);
      return { outcome: 'already-done', status: head.status };
    }
    if (!ACTIVE.includes(head.status)) return { outcome: 'already-done', status: head.status };
    const waitMs = head.fire_at.getTime() - this.clock.now().getTime();
    if (waitMs > EARLY_TOLERANCE_MS) return { outcome: 'too-early', waitMs };

    const result = await this.dataSource.transaction(async (em): Promise<DeliveryOutcome> => {
      // Case first, then the reminder: the same order as a case change that cancels reminders.
      const [c]: CaseRow[] = await em.query(
        `SELECT id, case_number, workstation_id, status, mediator_id, deadline_at, overdue FROM cases WHERE id = $1 FOR UPDATE`,
        [head.case_id],
      );
      const [r]: ReminderRow[] = await em.query(`SELECT id, kind, case_id, subject_id, subject_seq, fire_at, due_at, status FROM reminders WHERE id = $1 FOR UPDATE`, [reminderId]);
      if (!r) return { outcome: 'missing' };
      if (!ACTIVE.includes(r.status)) return { outcome: 'already-done', status: r.status };
      const now = this.clock.now();
      const decision = await this.decide(em, r, c, now);
      if ('skip' in decision) {
        await em.query(`UPDATE reminders SET status = 'skipped', skip_reason = $2, delivered_at = $3 WHERE id = $1`, [r.id, decision.skip, now]);
        return { outcome: 'skipped', reason: decision.skip };
      }
      await decision.apply?.();
      const inserted = await this.notifications.insert(
        em,
        decision.recipients.map((userId) => ({ userId, reminderId: r.id, kind: r.kind, caseId: c.id, caseNumber: c.case_number, message: decision.message, dueAt: r.due_at })),
        now,
      );
      await em.query(`UPDATE reminders SET status = 'delivered', delivered_at = $2 WHERE id = $1`, [r.id, now]);
      return { outcome: 'delivered', notified: inserted.length };
    });
    if (result.outcome === 'delivered') await this.notifications.sendUnsentOfReminder(reminderId);
    return result;
  }

  private async decide(em: EntityManager, r: ReminderRow, c: CaseRow, now: Date): Promise<Decision> {
    if (WARNING_KINDS.has(r.kind) && now.getTime() > r.due_at.getTime()) return { skip: 'deadline already passed' };
    const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
    switch (r.kind) {
      case ReminderKind.MediationDeadline:
      case ReminderKind.MediationOverdue: {
        if (!open) return { skip: `case is ${c.status}` };
        if (c.deadline_at.getTime() !== r.due_at.getTime()) return { skip: 'deadline moved' };
        if (c.overdue) return { skip: 'case already flagged overdue' };
        if (r.kind === ReminderKind.MediationDeadline) {
          return { recipients: await this.mediator(em, c), message: messages.mediationDeadline(c.case_number, c.deadline_at) };
        }
        return {
          recipients: await this.unionStaff(em, c.workstation_id),
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
        return { recipients: await this.mediator(em, c), message: messages.session(c.case_number, s.scheduled_at, s.mode, s.location, hours) };
      }
      case ReminderKind.ConfirmationApplication: {
        if (c.status !== 'agreement_reached') return { skip: `case is ${c.status}` };
        const [requested] = await em.query(`SELECT 1 FROM confirmations WHERE case_id = $1`, [c.id]);
        if (requested) return { skip: 'confirmation already requested' };
        const [a]: Array<{ effective_at: Date }> = await em.query(`SELECT effective_at FROM agreements WHERE id = $1`, [r.subject_id]);
        if (!a) return { skip: 'agreement gone' };
        return { recipients: await this.mediator(em, c), message: messages.confirmationApplication(c.case_number, a.effective_at, r.subject_seq ?? 0, r.due_at) };
      }
      case ReminderKind.RulingDue:
      case ReminderKind.RulingOverdue: {
        const [f]: Array<{ status: string; applied_at: Date; workstation_id: string }> = await em.query(
          `SELECT status, applied_at, workstation_id FROM confirmations WHERE id = $1`,
          [r.subject_id],
        );
        if (!f || f.status !== 'pending') return { skip: `confirmation is ${f?.status ?? 'gone'}` };
        const clerks = await this.usersOf(em, Role.CourtClerk, f.workstation_id);
        if (r.kind === ReminderKind.RulingDue) return { recipients: clerks, message: messages.rulingDue(c.case_number, f.applied_at, r.due_at) };
        return { recipients: [...clerks, ...(await this.unionStaff(em, f.workstation_id))], message: messages.rulingOverdue(c.case_number, f.applied_at, r.due_at) };
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
          return { recipients: await this.mediator(em, c), message: messages.installmentDue(c.case_number, seq, i.amount, i.due_date) };
        }
        return {
          recipients: await this.mediator(em, c),
          message: messages.installmentBreach(c.case_number, seq, i.amount, i.due_date),
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
    await this.appendEvent(em, c.id, 'flagged_overdue', now, { overdue: false, deadlineAt: c.deadline_at }, { overdue: true, deadlineAt: c.deadline_at });
  }

  /** An installment unpaid a day after its due date puts the agreement in breach (the first breach date stays). */
  private async flagBreach(em: EntityManager, c: CaseRow, agreementId: string, seq: number, i: { due_date: string; amount: string; in_breach: boolean }, now: Date): Promise<void> {
    await em.query(`UPDATE agreements SET in_breach = true, breached_at = coalesce(breached_at, $2) WHERE id = $1`, [agreementId, now]);
    await em.query(`UPDATE cases SET version = version + 1, updated_at = $2 WHERE id = $1`, [c.id, now]);
    await this.appendEvent(em, c.id, 'agreement_in_breach', now, { inBreach: i.in_breach }, { inBreach: true, installment: seq, dueDate: i.due_date, amount: i.amount });
  }

  private async appendEvent(em: EntityManager, caseId: string, type: string, at: Date, before: object, after: object): Promise<void> {
    await em.query(`INSERT INTO case_events (case_id, type, actor_id, at, before, after) VALUES ($1, $2, NULL, $3, $4, $5)`, [
      caseId,
      type,
      at,
      JSON.stringify(before),
      JSON.stringify(after),
    ]);
  }

  /** The case's mediator as of now (it may have changed since the reminder was planned). */
  private async mediator(em: EntityManager, c: CaseRow): Promise<string[]> {
    if (!c.mediator_id) return [];
    const rows: Array<{ id: string }> = await em.query(`SELECT id FROM users WHERE id = $1 AND active`, [c.mediator_id]);
    return rows.map((u) => u.id);
  }

  private async usersOf(em: EntityManager, role: Role, workstationId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await em.query(`SELECT id FROM users WHERE role = $1 AND workstation_id = $2 AND active ORDER BY id`, [role, workstationId]);
    return rows.map((u) => u.id);
  }

  /** The workstation's union staff; city-level union staff when the workstation has none. */
  private async unionStaff(em: EntityManager, workstationId: string): Promise<string[]> {
    const own = await this.usersOf(em, Role.UnionStaff, workstationId);
    if (own.length) return own;
    const city: Array<{ id: string }> = await em.query(`SELECT id FROM users WHERE role = $1 AND workstation_id IS NULL AND active ORDER BY id`, [Role.UnionStaff]);
    return city.map((u) => u.id);
  }
}
