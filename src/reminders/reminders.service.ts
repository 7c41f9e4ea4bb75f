import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Agreement, Installment } from '../case-core/agreement.entity';
import { Role } from '../auth/role.enum';
import { OPEN_STATUSES } from '../case-core/case-lifecycle';
import { Case } from '../case-core/case.entity';
import { Clock } from '../common/clock';
import { Confirmation } from '../case-core/confirmation.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { CaseSession } from '../case-core/session.entity';
import { ACCEPTANCE_KINDS, ImmediateNotificationKind, INSTALLMENT_KINDS, MEDIATION_KINDS, ReminderKind, RULING_KINDS, SESSION_KINDS } from './reminder-kinds';
import { messages } from './reminder-messages';
import { addDays, endOfShanghaiDay, shanghaiDate } from '../common/business-time';
import { ACCEPTANCE_PERIOD_DAYS, acceptancePlans, confirmationApplicationPlans, installmentPlans, mediationPlans, planKey, plansToWrite, ReminderPlan, rulingPlans, sessionPlans } from './reminder-plans';

/** Which active reminders a change replaces: some kinds of a case, optionally of one subject. */
interface ReminderScope {
  kinds: ReminderKind[];
  subjectId?: string;
  subjectSeq?: number;
}

/**
 * The hooks the case services call inside their transaction (with its EntityManager), so that
 * reminder rows (the outbox) and immediate notifications commit or roll back with the change.
 * Nothing here touches Redis: the dispatcher (worker side) puts the rows on the queue.
 * `actorId` is the user making the change: nobody is notified of their own actions.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  /** A case was taken in: plan the mediation-deadline reminder (3 days before) and the overdue check. */
  async caseOpened(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    // A new case has no reminders to replace: write the plans without looking (intake holds the
    // workstation's case-number counter until commit, so every statement saved there counts).
    await this.insertPlans(em, c.id, plansToWrite(mediationPlans(c.deadlineAt), this.clock.now()));
  }

  /** The mediation deadline moved (extension): re-plan its reminders. */
  async caseDeadlineMoved(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    await this.planMediation(em, c);
  }

  /** A mediator was assigned or replaced: tell the new mediator. */
  async caseAssigned(em: EntityManager, c: Case, previousMediatorId: string | null, actorId: string): Promise<void> {
    if (!c.mediatorId || c.mediatorId === previousMediatorId) return;
    await this.notify(em, c, [c.mediatorId], actorId, ImmediateNotificationKind.CaseAssigned, messages.caseAssigned(c.caseNumber, c.deadlineAt), c.deadlineAt);
  }

  /** Mediation ended (agreement, failure, withdrawal): cancel pending deadline and session reminders. */
  async caseConcluded(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: [...MEDIATION_KINDS, ...SESSION_KINDS] }, []);
  }

  /** A session was booked: reminders 24 h and 1 h before (none whose time has passed). */
  async sessionScheduled(em: EntityManager, c: Case, s: CaseSession, _actorId: string): Promise<void> {
    await this.planSession(em, c, s);
  }

  /** A session moved, was cancelled, held or missed: move or cancel its reminders. */
  async sessionChanged(em: EntityManager, c: Case, s: CaseSession, _actorId: string): Promise<void> {
    await this.planSession(em, c, s);
  }

  /** An agreement took effect: confirmation-application reminders (days 20 and 27; none for an entrusted case) and installment reminders. */
  async agreementRecorded(em: EntityManager, c: Case, a: Agreement, installments: Installment[], _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: [...MEDIATION_KINDS, ...SESSION_KINDS] }, []);
    const applies = c.source !== 'court_entrusted';
    await this.replace(em, c.id, { kinds: [ReminderKind.ConfirmationApplication], subjectId: a.id }, applies ? confirmationApplicationPlans(a.id, a.effectiveAt) : []);
    const plans = installments.filter((i) => !i.paidAt).flatMap((i) => installmentPlans(a.id, i.seq, i.dueDate));
    await this.replace(em, c.id, { kinds: INSTALLMENT_KINDS, subjectId: a.id }, plans);
  }

  /** The parties waived judicial confirmation: its application reminders stop. */
  async confirmationWaived(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: [ReminderKind.ConfirmationApplication] }, []);
  }

  /** Judicial confirmation was requested: cancel application reminders; the clerks told now and reminded on day 2 to accept or decline. */
  async confirmationRequested(em: EntityManager, c: Case, conf: Confirmation, actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: [ReminderKind.ConfirmationApplication] }, []);
    // Without a holiday calendar at hand (a caller that did not set it), the plain 3-day period.
    const dueAt = conf.acceptanceDueAt ?? endOfShanghaiDay(addDays(shanghaiDate(conf.appliedAt), ACCEPTANCE_PERIOD_DAYS));
    await this.replace(em, c.id, { kinds: ACCEPTANCE_KINDS, subjectId: conf.id }, conf.status === 'pending' ? acceptancePlans(conf.id, conf.appliedAt, dueAt) : []);
    const clerks = await this.usersOf(em, Role.CourtClerk, conf.workstationId);
    await this.notify(em, c, clerks, actorId, ImmediateNotificationKind.ConfirmationRequested, messages.confirmationRequested(c.caseNumber, conf.appliedAt, dueAt), dueAt);
  }

  /** The court accepted the request (or extended its ruling period): ruling reminders from acceptance to the (new) due date. */
  async confirmationAccepted(em: EntityManager, c: Case, conf: Confirmation, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: ACCEPTANCE_KINDS }, []);
    await this.replace(em, c.id, { kinds: RULING_KINDS, subjectId: conf.id }, rulingPlans(conf.id, conf.acceptedAt!, conf.rulingDueAt!));
  }

  /** The court declined (不予受理) or ruled: cancel acceptance and ruling reminders; tell the mediator. */
  async confirmationRuled(em: EntityManager, c: Case, conf: Confirmation, actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: [...ACCEPTANCE_KINDS, ...RULING_KINDS] }, []);
    if (!c.mediatorId) return;
    const message = conf.declinedAt ? messages.confirmationNotAccepted(c.caseNumber, conf.reason ?? '') : messages.confirmationRuled(c.caseNumber, conf.status === 'confirmed', conf.rulingNumber);
    await this.notify(em, c, [c.mediatorId], actorId, ImmediateNotificationKind.ConfirmationRuled, message, null);
  }

  /** After a rejection the parties mediate again: the old agreement's reminders stop, the new period's start. */
  async caseRenegotiated(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: [ReminderKind.ConfirmationApplication, ...ACCEPTANCE_KINDS, ...RULING_KINDS, ...INSTALLMENT_KINDS] }, []);
    await this.planMediation(em, c);
  }

  /** A rejected agreement's case failed: its remaining reminders stop. */
  async agreementAbandoned(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: [ReminderKind.ConfirmationApplication, ...ACCEPTANCE_KINDS, ...RULING_KINDS, ...INSTALLMENT_KINDS] }, []);
  }

  /** A failed court case goes back to the court: the workstation's clerks are told at once. */
  async caseReturnedToCourt(em: EntityManager, c: Case, reason: string, actorId: string): Promise<void> {
    const clerks = await this.usersOf(em, Role.CourtClerk, c.workstationId);
    await this.notify(em, c, clerks, actorId, ImmediateNotificationKind.CaseReturnedToCourt, messages.caseReturnedToCourt(c.caseNumber, c.courtCaseNumber, reason), null);
  }

  /** An installment was paid: cancel its reminders. */
  async installmentPaid(em: EntityManager, c: Case, i: Installment, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: INSTALLMENT_KINDS, subjectId: i.agreementId, subjectSeq: i.seq }, []);
  }

  private async planMediation(em: EntityManager, c: Case): Promise<void> {
    const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
    await this.replace(em, c.id, { kinds: MEDIATION_KINDS }, open ? mediationPlans(c.deadlineAt) : []);
  }

  private async planSession(em: EntityManager, c: Case, s: CaseSession): Promise<void> {
    const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
    await this.replace(em, c.id, { kinds: SESSION_KINDS, subjectId: s.id }, open && s.status === 'scheduled' ? sessionPlans(s.id, s.scheduledAt) : []);
  }

  /**
   * Makes the active reminders in `scope` match `plans`: identical ones stay (so a repeated call
   * changes nothing), the others are cancelled, and missing plans are written as `pending`
   * (see plansToWrite for those whose time has passed). Rows are locked in id order, as the dispatcher locks them.
   */
  private async replace(em: EntityManager, caseId: string, scope: ReminderScope, plans: ReminderPlan[]): Promise<void> {
    const now = this.clock.now();
    const params: unknown[] = [caseId, scope.kinds];
    let where = `case_id = $1 AND kind = ANY($2::varchar[]) AND status IN ('pending', 'enqueued')`;
    if (scope.subjectId !== undefined) where += ` AND subject_id = $${params.push(scope.subjectId)}`;
    if (scope.subjectSeq !== undefined) where += ` AND subject_seq = $${params.push(scope.subjectSeq)}`;
    const active: Array<{ id: string; kind: ReminderKind; subject_id: string | null; subject_seq: number | null; fire_at: Date; due_at: Date }> = await em.query(
      `SELECT id, kind, subject_id, subject_seq, fire_at, due_at FROM reminders WHERE ${where} ORDER BY id FOR UPDATE`,
      params,
    );
    const wanted = new Map(plansToWrite(plans, now).map((p) => [planKey(p), p]));
    const obsolete: string[] = [];
    for (const r of active) {
      const key = planKey({ kind: r.kind, subjectId: r.subject_id, subjectSeq: r.subject_seq, fireAt: r.fire_at, dueAt: r.due_at });
      if (wanted.has(key)) wanted.delete(key);
      else obsolete.push(r.id);
    }
    if (obsolete.length) {
      await em.query(`UPDATE reminders SET status = 'cancelled', cancelled_at = $2 WHERE id = ANY($1::uuid[])`, [obsolete, now]);
    }
    await this.insertPlans(em, caseId, [...wanted.values()]);
  }

  /** Writes plans as `pending` outbox rows. */
  private async insertPlans(em: EntityManager, caseId: string, plans: ReminderPlan[]): Promise<void> {
    if (!plans.length) return;
    await em.query(
      `INSERT INTO reminders (kind, case_id, subject_id, subject_seq, fire_at, due_at, status)
       SELECT k, $1, s, q, f, d, 'pending' FROM unnest($2::varchar[], $3::uuid[], $4::int[], $5::timestamptz[], $6::timestamptz[]) AS t(k, s, q, f, d)`,
      [caseId, plans.map((p) => p.kind), plans.map((p) => p.subjectId), plans.map((p) => p.subjectSeq), plans.map((p) => p.fireAt), plans.map((p) => p.dueAt)],
    );
  }

  /** Active users of a role at a workstation. */
  private async usersOf(em: EntityManager, role: Role, workstationId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await em.query(`SELECT id FROM users WHERE role = $1 AND workstation_id = $2 AND active ORDER BY id`, [role, workstationId]);
    return rows.map((r) => r.id);
  }

  private async notify(em: EntityManager, c: Case, userIds: string[], actorId: string, kind: ImmediateNotificationKind, message: string, dueAt: Date | null): Promise<void> {
    const recipients = userIds.filter((id) => id !== actorId);
    await this.notifications.insert(
      em,
      recipients.map((userId) => ({ userId, reminderId: null, kind, caseId: c.id, caseNumber: c.caseNumber, message, dueAt })),
      this.clock.now(),
    );
  }
}
