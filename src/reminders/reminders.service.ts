import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Agreement, Installment } from '../case-core/agreement.entity';
import { Role } from '../accounts-core/role.enum';
import { OPEN_STATUSES } from '../case-core/case-lifecycle';
import { Case } from '../case-core/case.entity';
import { Clock } from '../common/clock';
import { Confirmation } from '../case-core/confirmation.entity';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { CaseSession } from '../case-core/session.entity';
import { ImmediateNotificationKind } from './reminder-kinds';
import { messages } from './reminder-messages';
import { addDays, endOfShanghaiDay, shanghaiDate } from '../common/business-time';
import { ACCEPTANCE_PERIOD_DAYS, planKey, ReminderPlan } from './reminder-plans';
import {
  acceptancePlans,
  confirmationApplicationPlans,
  installmentPlans,
  kindsOf,
  mediationPlans,
  plansToWrite,
  ReminderFamily,
  rulingPlans,
  sessionPlans,
} from './reminder-registry';
import { RemindersRepository, ReminderScope } from './reminders.repository';

/** The reminders that stop with mediation (an agreement, a failure, a withdrawal). */
const MEDIATION_AND_SESSIONS: ReminderFamily[] = ['mediation', 'session'];
/** The reminders of an agreement and its way through the court. */
const AGREEMENT_FAMILIES: ReminderFamily[] = ['confirmation_application', 'acceptance', 'ruling', 'installment'];

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
    private readonly repo: RemindersRepository,
    private readonly notifications: NotificationsRepository,
  ) {}

  /**
   * A case was taken in: the mediation-deadline reminder (3 days before) and the overdue check to
   * write. A new case has no reminders to replace, so intake writes them without looking, in its
   * one statement (src/cases/intake-statement.ts, plansInsert): intake holds the workstation's
   * case-number counter until commit, so every round trip saved there counts.
   */
  openingPlans(c: Pick<Case, 'deadlineAt'>): ReminderPlan[] {
    return plansToWrite(mediationPlans(c.deadlineAt), this.clock.now());
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
    await this.replace(em, c.id, { kinds: kindsOf(...MEDIATION_AND_SESSIONS) }, []);
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
    await this.replace(em, c.id, { kinds: kindsOf(...MEDIATION_AND_SESSIONS) }, []);
    const applies = c.source !== 'court_entrusted';
    await this.replace(em, c.id, { kinds: kindsOf('confirmation_application'), subjectId: a.id }, applies ? confirmationApplicationPlans(a.id, a.effectiveAt) : []);
    const plans = installments.filter((i) => !i.paidAt).flatMap((i) => installmentPlans(a.id, i.seq, i.dueDate));
    await this.replace(em, c.id, { kinds: kindsOf('installment'), subjectId: a.id }, plans);
  }

  /** The parties waived judicial confirmation: its application reminders stop. */
  async confirmationWaived(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: kindsOf('confirmation_application') }, []);
  }

  /** Judicial confirmation was requested: cancel application reminders; the clerks told now and reminded on day 2 to accept or decline. */
  async confirmationRequested(em: EntityManager, c: Case, conf: Confirmation, actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: kindsOf('confirmation_application') }, []);
    // Without a holiday calendar at hand (a caller that did not set it), the plain 3-day period.
    const dueAt = conf.acceptanceDueAt ?? endOfShanghaiDay(addDays(shanghaiDate(conf.appliedAt), ACCEPTANCE_PERIOD_DAYS));
    await this.replace(em, c.id, { kinds: kindsOf('acceptance'), subjectId: conf.id }, conf.status === 'pending' ? acceptancePlans(conf.id, conf.appliedAt, dueAt) : []);
    const clerks = await this.repo.activeUsersOf(em, Role.CourtClerk, conf.workstationId);
    await this.notify(em, c, clerks, actorId, ImmediateNotificationKind.ConfirmationRequested, messages.confirmationRequested(c.caseNumber, conf.appliedAt, dueAt), dueAt);
  }

  /** The court accepted the request (or extended its ruling period): ruling reminders from acceptance to the (new) due date. */
  async confirmationAccepted(em: EntityManager, c: Case, conf: Confirmation, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: kindsOf('acceptance') }, []);
    await this.replace(em, c.id, { kinds: kindsOf('ruling'), subjectId: conf.id }, rulingPlans(conf.id, conf.acceptedAt!, conf.rulingDueAt!));
  }

  /** The court declined (不予受理) or ruled: cancel acceptance and ruling reminders; tell the mediator. */
  async confirmationRuled(em: EntityManager, c: Case, conf: Confirmation, actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: kindsOf('acceptance', 'ruling') }, []);
    if (!c.mediatorId) return;
    const message = conf.declinedAt ? messages.confirmationNotAccepted(c.caseNumber, conf.reason ?? '') : messages.confirmationRuled(c.caseNumber, conf.status === 'confirmed', conf.rulingNumber);
    await this.notify(em, c, [c.mediatorId], actorId, ImmediateNotificationKind.ConfirmationRuled, message, null);
  }

  /** After a rejection the parties mediate again: the old agreement's reminders stop, the new period's start. */
  async caseRenegotiated(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: kindsOf(...AGREEMENT_FAMILIES) }, []);
    await this.planMediation(em, c);
  }

  /** A rejected agreement's case failed: its remaining reminders stop. */
  async agreementAbandoned(em: EntityManager, c: Case, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: kindsOf(...AGREEMENT_FAMILIES) }, []);
  }

  /** A failed court case goes back to the court: the workstation's clerks are told at once. */
  async caseReturnedToCourt(em: EntityManager, c: Case, reason: string, actorId: string): Promise<void> {
    const clerks = await this.repo.activeUsersOf(em, Role.CourtClerk, c.workstationId);
    await this.notify(em, c, clerks, actorId, ImmediateNotificationKind.CaseReturnedToCourt, messages.caseReturnedToCourt(c.caseNumber, c.courtCaseNumber, reason), null);
  }

  /** An installment was paid: cancel its reminders. */
  async installmentPaid(em: EntityManager, c: Case, i: Installment, _actorId: string): Promise<void> {
    await this.replace(em, c.id, { kinds: kindsOf('installment'), subjectId: i.agreementId, subjectSeq: i.seq }, []);
  }

  private async planMediation(em: EntityManager, c: Case): Promise<void> {
    const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
    await this.replace(em, c.id, { kinds: kindsOf('mediation') }, open ? mediationPlans(c.deadlineAt) : []);
  }

  private async planSession(em: EntityManager, c: Case, s: CaseSession): Promise<void> {
    const open = (OPEN_STATUSES as readonly string[]).includes(c.status);
    await this.replace(em, c.id, { kinds: kindsOf('session'), subjectId: s.id }, open && s.status === 'scheduled' ? sessionPlans(s.id, s.scheduledAt) : []);
  }

  /**
   * Makes the active reminders in `scope` match `plans`: identical ones stay (so a repeated call
   * changes nothing), the others are cancelled, and missing plans are written as `pending`
   * (see plansToWrite for those whose time has passed). Rows are locked in id order, as the dispatcher locks them.
   */
  private async replace(em: EntityManager, caseId: string, scope: ReminderScope, plans: ReminderPlan[]): Promise<void> {
    const now = this.clock.now();
    const active = await this.repo.lockActive(em, caseId, scope);
    const wanted = new Map(plansToWrite(plans, now).map((p) => [planKey(p), p]));
    const obsolete: string[] = [];
    for (const r of active) {
      const key = planKey(r);
      if (wanted.has(key)) wanted.delete(key);
      else obsolete.push(r.id);
    }
    await this.repo.cancel(em, obsolete, now);
    await this.repo.insertPlans(em, caseId, [...wanted.values()]);
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
