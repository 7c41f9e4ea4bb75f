/**
 * Every reminder kind in one table (pure: no database, no clock): its family (what it is about,
 * so what is planned from and looked up at delivery), when it fires, whom it goes to, when it is
 * no longer sent, what it says, and what it changes. `Record<ReminderKind, ...>`: a kind with a
 * missing part does not compile.
 *
 * Adding a kind: a member of ReminderKind (reminder-kinds.ts), its entry here, its code in
 * REMINDER_KIND_CODES (src/common/case-codes.ts, which the labels read; labels.spec.ts keeps the two
 * equal) and its label (labels.ts REMINDER_KIND). A kind of an existing family is planned, replaced and cancelled with
 * its family by RemindersService and delivered by ReminderDelivery with no other change; a new
 * family also needs its plan input and facts here, its facts loader (reminder-facts.ts) and the
 * RemindersService hook that plans it.
 */
import { addDays, endOfShanghaiDay, shanghaiDate } from '../common/business-time';
import { OPEN_STATUSES } from '../common/case-codes';
import { breachRemedy } from './breach-remedy';
import { ReminderKind } from './reminder-kinds';
import { messages } from './reminder-messages';
import {
  ACCEPTANCE_REMINDER_DAY,
  APPLICATION_REMINDER_DAYS,
  applicationWindowEnd,
  INSTALLMENT_BREACH_AFTER_DAYS,
  INSTALLMENT_WARNING_DAYS,
  lastDayOf,
  MEDIATION_WARNING_DAYS,
  nineAm,
  ReminderPlan,
  RULING_REMINDER_DAY,
  rulingDueAt,
} from './reminder-plans';

import { ConfirmationFacts, Delivery, KindSpec, PlanInputs, ReminderFamily, Timing } from './reminder-kind-spec';

export type { Audience, CaseAtDelivery, ConfirmationFacts, Delivery, FamilyFacts, InstallmentFacts, KindSpec, PlanInputs, ReminderEffect, ReminderFamily, ReminderToDeliver, SessionFacts, Timing } from './reminder-kind-spec';

const HOUR_MS = 3600 * 1000;

function kind<F extends ReminderFamily>(family: F, spec: Omit<KindSpec<F>, 'family'>): KindSpec<F> {
  return { family, ...spec };
}

/** What the family's facts lacked; delivery skips before it asks for a message, so this never throws there. */
function present<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`reminder delivery: ${what} missing`);
  return value;
}

const isOpen = (d: Delivery<ReminderFamily>) => OPEN_STATUSES.includes(d.case.status);

function mediationSkip(d: Delivery<'mediation'>): string | null {
  if (!isOpen(d)) return `case is ${d.case.status}`;
  if (d.case.deadlineAt.getTime() !== d.reminder.dueAt.getTime()) return 'deadline moved';
  if (d.case.overdue) return 'case already flagged overdue';
  return null;
}

function sessionSkip(d: Delivery<'session'>): string | null {
  const s = d.facts.session;
  if (!s || s.status !== 'scheduled') return `session is ${s?.status ?? 'gone'}`;
  if (s.scheduledAt.getTime() !== d.reminder.dueAt.getTime()) return 'session moved';
  if (!isOpen(d)) return `case is ${d.case.status}`;
  return null;
}

function sessionMessage(d: Delivery<'session'>, hoursBefore: number): string {
  const s = present(d.facts.session, 'session');
  return messages.session(d.case.caseNumber, s.scheduledAt, s.mode, s.location, hoursBefore);
}

function acceptedConfirmation(d: Delivery<'ruling'>): ConfirmationFacts & { acceptedAt: Date } {
  const f = present(d.facts.confirmation, 'confirmation');
  return { ...f, acceptedAt: present(f.acceptedAt, 'acceptance time') };
}

function rulingSkip(d: Delivery<'ruling'>): string | null {
  const f = d.facts.confirmation;
  if (!f || f.superseded || f.status !== 'accepted' || !f.acceptedAt) return `confirmation is ${f?.status ?? 'gone'}`;
  if (f.rulingDueAt && f.rulingDueAt.getTime() !== d.reminder.dueAt.getTime()) return 'ruling period moved';
  return null;
}

function installmentSkip(d: Delivery<'installment'>): string | null {
  const i = d.facts.installment;
  if (!i) return 'installment gone';
  if (i.paidAt) return 'installment paid';
  return null;
}

function installmentPlan(at: (dueDate: string) => Date) {
  return ({ dueDate }: PlanInputs['installment']): Timing[] => [{ fireAt: at(dueDate), dueAt: endOfShanghaiDay(dueDate) }];
}

export const REMINDER_KINDS: Record<ReminderKind, KindSpec<ReminderFamily>> = {
  [ReminderKind.MediationDeadline]: kind('mediation', {
    timing: 'warning',
    plan: ({ deadlineAt }) => [{ fireAt: nineAm(addDays(lastDayOf(deadlineAt), -MEDIATION_WARNING_DAYS)), dueAt: deadlineAt }],
    skip: mediationSkip,
    recipients: ['mediator'],
    message: (d) => messages.mediationDeadline(d.case.caseNumber, d.case.deadlineAt),
    effect: null,
  }),
  [ReminderKind.MediationOverdue]: kind('mediation', {
    timing: 'check',
    plan: ({ deadlineAt }) => [{ fireAt: deadlineAt, dueAt: deadlineAt }],
    skip: mediationSkip,
    recipients: ['union_staff'],
    message: (d) => messages.mediationOverdue(d.case.caseNumber, d.case.deadlineAt),
    effect: 'flag_overdue',
  }),
  [ReminderKind.SessionDayBefore]: kind('session', {
    timing: 'warning',
    plan: ({ scheduledAt }) => [{ fireAt: new Date(scheduledAt.getTime() - 24 * HOUR_MS), dueAt: scheduledAt }],
    skip: sessionSkip,
    recipients: ['mediator'],
    message: (d) => sessionMessage(d, 24),
    effect: null,
  }),
  [ReminderKind.SessionHourBefore]: kind('session', {
    timing: 'warning',
    plan: ({ scheduledAt }) => [{ fireAt: new Date(scheduledAt.getTime() - HOUR_MS), dueAt: scheduledAt }],
    skip: sessionSkip,
    recipients: ['mediator'],
    message: (d) => sessionMessage(d, 1),
    effect: null,
  }),
  [ReminderKind.ConfirmationApplication]: kind('confirmation_application', {
    timing: 'warning',
    plan: ({ effectiveAt }) =>
      APPLICATION_REMINDER_DAYS.map((day) => ({ fireAt: nineAm(addDays(shanghaiDate(effectiveAt), day)), dueAt: applicationWindowEnd(effectiveAt), subjectSeq: day })),
    skip: (d) => {
      if (d.case.status !== 'agreement_reached') return `case is ${d.case.status}`;
      if (d.case.confirmationWaived) return 'confirmation waived';
      if (d.facts.requested) return 'confirmation already requested';
      if (!d.facts.agreementEffectiveAt) return 'agreement gone';
      return null;
    },
    recipients: ['mediator'],
    message: (d) =>
      messages.confirmationApplication(d.case.caseNumber, present(d.facts.agreementEffectiveAt, 'agreement'), d.reminder.subjectSeq ?? 0, d.reminder.dueAt),
    effect: null,
  }),
  [ReminderKind.AcceptanceDue]: kind('acceptance', {
    timing: 'warning',
    plan: ({ appliedAt, dueAt }) => [{ fireAt: nineAm(addDays(shanghaiDate(appliedAt), ACCEPTANCE_REMINDER_DAY)), dueAt }],
    skip: ({ facts: { confirmation: f } }) => (!f || f.superseded || f.status !== 'pending' ? `confirmation is ${f?.status ?? 'gone'}` : null),
    recipients: ['clerks'],
    message: (d) => messages.acceptanceDue(d.case.caseNumber, present(d.facts.confirmation, 'confirmation').appliedAt, d.reminder.dueAt),
    effect: null,
  }),
  [ReminderKind.RulingDue]: kind('ruling', {
    timing: 'warning',
    plan: ({ acceptedAt, dueAt }) => [{ fireAt: nineAm(addDays(shanghaiDate(acceptedAt), RULING_REMINDER_DAY)), dueAt }],
    skip: rulingSkip,
    recipients: ['clerks'],
    message: (d) => messages.rulingDue(d.case.caseNumber, acceptedConfirmation(d).acceptedAt, d.reminder.dueAt),
    effect: null,
  }),
  [ReminderKind.RulingOverdue]: kind('ruling', {
    timing: 'check',
    plan: ({ dueAt }) => [{ fireAt: dueAt, dueAt }],
    skip: rulingSkip,
    recipients: ['clerks', 'union_staff'],
    message: (d) => messages.rulingOverdue(d.case.caseNumber, acceptedConfirmation(d).acceptedAt, d.reminder.dueAt),
    effect: null,
  }),
  [ReminderKind.InstallmentDue]: kind('installment', {
    timing: 'warning',
    plan: installmentPlan((dueDate) => nineAm(addDays(dueDate, -INSTALLMENT_WARNING_DAYS))),
    skip: installmentSkip,
    recipients: ['mediator'],
    message: (d) => {
      const i = present(d.facts.installment, 'installment');
      return messages.installmentDue(d.case.caseNumber, i.seq, i.amount, i.dueDate);
    },
    effect: null,
  }),
  [ReminderKind.InstallmentBreach]: kind('installment', {
    timing: 'check',
    plan: installmentPlan((dueDate) => nineAm(addDays(dueDate, INSTALLMENT_BREACH_AFTER_DAYS))),
    skip: installmentSkip,
    recipients: ['mediator'],
    message: (d) => {
      const i = present(d.facts.installment, 'installment');
      return messages.installmentBreach(d.case.caseNumber, i.seq, i.amount, i.dueDate, breachRemedy(d.case.status, d.case.disputeType));
    },
    effect: 'flag_breach',
  }),
};

/** The subject of a family's reminders (which session, agreement, confirmation, installment). */
const SUBJECT: { [F in ReminderFamily]: (input: PlanInputs[F]) => { subjectId: string | null; subjectSeq: number | null } } = {
  mediation: () => ({ subjectId: null, subjectSeq: null }),
  session: (i) => ({ subjectId: i.sessionId, subjectSeq: null }),
  confirmation_application: (i) => ({ subjectId: i.agreementId, subjectSeq: null }),
  acceptance: (i) => ({ subjectId: i.confirmationId, subjectSeq: null }),
  ruling: (i) => ({ subjectId: i.confirmationId, subjectSeq: null }),
  installment: (i) => ({ subjectId: i.agreementId, subjectSeq: i.seq }),
};

const ALL_KINDS = Object.keys(REMINDER_KINDS) as ReminderKind[];

/** The kinds of some families (what a change replaces or cancels). */
export function kindsOf(...families: ReminderFamily[]): ReminderKind[] {
  return ALL_KINDS.filter((k) => families.includes(REMINDER_KINDS[k].family));
}

/** Every reminder of a family for one subject, in the table's order. */
export function plansOf<F extends ReminderFamily>(family: F, input: PlanInputs[F]): ReminderPlan[] {
  const subject = (SUBJECT[family] as (i: PlanInputs[F]) => { subjectId: string | null; subjectSeq: number | null })(input);
  return kindsOf(family).flatMap((k) =>
    REMINDER_KINDS[k].plan(input).map((t) => ({ kind: k, subjectId: subject.subjectId, subjectSeq: t.subjectSeq ?? subject.subjectSeq, fireAt: t.fireAt, dueAt: t.dueAt })),
  );
}

export const mediationPlans = (deadlineAt: Date) => plansOf('mediation', { deadlineAt });
export const sessionPlans = (sessionId: string, scheduledAt: Date) => plansOf('session', { sessionId, scheduledAt });
export const confirmationApplicationPlans = (agreementId: string, effectiveAt: Date) => plansOf('confirmation_application', { agreementId, effectiveAt });
/** The clerks on day 2 after the application, while it is neither accepted nor declined; `dueAt` ends the 3-day period. */
export const acceptancePlans = (confirmationId: string, appliedAt: Date, dueAt: Date) => plansOf('acceptance', { confirmationId, appliedAt, dueAt });
/** The clerks on day 10 after acceptance; overdue when the ruling period (`dueAt`, 15 or 25 days) ends. */
export const rulingPlans = (confirmationId: string, acceptedAt: Date, dueAt: Date = rulingDueAt(acceptedAt)) => plansOf('ruling', { confirmationId, acceptedAt, dueAt });
/** `dueDate` is a calendar date; the payment is due by its end. */
export const installmentPlans = (agreementId: string, seq: number, dueDate: string) => plansOf('installment', { agreementId, seq, dueDate });

/**
 * What to write: a warning whose time has already passed when it is planned is not written (a
 * session booked for tomorrow has no 24-hour reminder); a check is written all the same and runs
 * at once (see KindSpec.timing).
 */
export function plansToWrite(plans: ReminderPlan[], now: Date): ReminderPlan[] {
  return plans.filter((p) => REMINDER_KINDS[p.kind].timing === 'check' || p.fireAt.getTime() > now.getTime());
}
