/**
 * When each reminder fires (pure: no database, no clock). Day-based reminders fire at 09:00
 * Asia/Shanghai; a period of N days ends at 24:00 Shanghai of its N-th day.
 */
import { addDays, atShanghaiTime, endOfShanghaiDay, shanghaiDate } from '../common/business-time';
import { ReminderKind } from './reminder-kinds';
import { ACCEPTANCE_PERIOD_DAYS, APPLICATION_WINDOW_DAYS, EXTENDED_RULING_PERIOD_DAYS, RULING_PERIOD_DAYS } from '../case-core/statutory-periods';

/** The statutory periods (with their legal sources) live in src/case-core/statutory-periods.ts; re-exported for the reminders. */
export { ACCEPTANCE_PERIOD_DAYS, APPLICATION_WINDOW_DAYS, EXTENDED_RULING_PERIOD_DAYS, RULING_PERIOD_DAYS };

export const DAY_REMINDER_HOUR = 9;
export const MEDIATION_WARNING_DAYS = 3;
export const APPLICATION_REMINDER_DAYS = [20, 27] as const;
export const RULING_REMINDER_DAY = 10;
export const INSTALLMENT_WARNING_DAYS = 3;
export const INSTALLMENT_BREACH_AFTER_DAYS = 1;

const HOUR_MS = 3600 * 1000;

export interface ReminderPlan {
  kind: ReminderKind;
  subjectId: string | null;
  subjectSeq: number | null;
  fireAt: Date;
  /** The deadline the reminder is about (shown as the notification's dueAt). */
  dueAt: Date;
}

const nineAm = (date: string) => atShanghaiTime(date, DAY_REMINDER_HOUR);

/** The calendar day a deadline instant belongs to (24:00 is the end of the previous day). */
export function lastDayOf(deadlineAt: Date): string {
  return shanghaiDate(new Date(deadlineAt.getTime() - 1));
}

export function mediationPlans(deadlineAt: Date): ReminderPlan[] {
  return [
    { kind: ReminderKind.MediationDeadline, subjectId: null, subjectSeq: null, fireAt: nineAm(addDays(lastDayOf(deadlineAt), -MEDIATION_WARNING_DAYS)), dueAt: deadlineAt },
    { kind: ReminderKind.MediationOverdue, subjectId: null, subjectSeq: null, fireAt: deadlineAt, dueAt: deadlineAt },
  ];
}

export function sessionPlans(sessionId: string, scheduledAt: Date): ReminderPlan[] {
  return [
    { kind: ReminderKind.SessionDayBefore, subjectId: sessionId, subjectSeq: null, fireAt: new Date(scheduledAt.getTime() - 24 * HOUR_MS), dueAt: scheduledAt },
    { kind: ReminderKind.SessionHourBefore, subjectId: sessionId, subjectSeq: null, fireAt: new Date(scheduledAt.getTime() - HOUR_MS), dueAt: scheduledAt },
  ];
}

/** The joint application for judicial confirmation is due within 30 days of the agreement taking effect. */
export function applicationWindowEnd(effectiveAt: Date): Date {
  return endOfShanghaiDay(addDays(shanghaiDate(effectiveAt), APPLICATION_WINDOW_DAYS));
}

export function confirmationApplicationPlans(agreementId: string, effectiveAt: Date): ReminderPlan[] {
  const effectiveDay = shanghaiDate(effectiveAt);
  return APPLICATION_REMINDER_DAYS.map((day) => ({
    kind: ReminderKind.ConfirmationApplication,
    subjectId: agreementId,
    subjectSeq: day,
    fireAt: nineAm(addDays(effectiveDay, day)),
    dueAt: applicationWindowEnd(effectiveAt),
  }));
}

export const ACCEPTANCE_REMINDER_DAY = 2;

/** Without a holiday calendar: the ruling period counted from acceptance (the services move it past rest days). */
export function rulingDueAt(acceptedAt: Date): Date {
  return endOfShanghaiDay(addDays(shanghaiDate(acceptedAt), RULING_PERIOD_DAYS));
}

/** The clerks on day 2 after the application, while it is neither accepted nor declined; `dueAt` ends the 3-day period. */
export function acceptancePlans(confirmationId: string, appliedAt: Date, dueAt: Date): ReminderPlan[] {
  return [{ kind: ReminderKind.AcceptanceDue, subjectId: confirmationId, subjectSeq: null, fireAt: nineAm(addDays(shanghaiDate(appliedAt), ACCEPTANCE_REMINDER_DAY)), dueAt }];
}

/** The clerks on day 10 after acceptance; overdue when the ruling period (`dueAt`, 15 or 25 days) ends. */
export function rulingPlans(confirmationId: string, acceptedAt: Date, dueAt: Date = rulingDueAt(acceptedAt)): ReminderPlan[] {
  return [
    { kind: ReminderKind.RulingDue, subjectId: confirmationId, subjectSeq: null, fireAt: nineAm(addDays(shanghaiDate(acceptedAt), RULING_REMINDER_DAY)), dueAt },
    { kind: ReminderKind.RulingOverdue, subjectId: confirmationId, subjectSeq: null, fireAt: dueAt, dueAt },
  ];
}

/** `dueDate` is a calendar date; the payment is due by its end. */
export function installmentPlans(agreementId: string, seq: number, dueDate: string): ReminderPlan[] {
  const dueAt = endOfShanghaiDay(dueDate);
  return [
    { kind: ReminderKind.InstallmentDue, subjectId: agreementId, subjectSeq: seq, fireAt: nineAm(addDays(dueDate, -INSTALLMENT_WARNING_DAYS)), dueAt },
    { kind: ReminderKind.InstallmentBreach, subjectId: agreementId, subjectSeq: seq, fireAt: nineAm(addDays(dueDate, INSTALLMENT_BREACH_AFTER_DAYS)), dueAt },
  ];
}

/** Checks that change state when a period has run out (overdue, breach), rather than warn ahead of it. */
export const OVERDUE_CHECK_KINDS: ReadonlySet<ReminderKind> = new Set([ReminderKind.MediationOverdue, ReminderKind.RulingOverdue, ReminderKind.InstallmentBreach]);

/**
 * What to write: a warning whose time has already passed when it is planned is not written (a
 * session booked for tomorrow has no 24-hour reminder). An overdue check whose time has passed is
 * written all the same and runs at once: a case taken in after its period ran out, or extended to
 * a deadline that is still past, is overdue now.
 */
export function plansToWrite(plans: ReminderPlan[], now: Date): ReminderPlan[] {
  return plans.filter((p) => OVERDUE_CHECK_KINDS.has(p.kind) || p.fireAt.getTime() > now.getTime());
}

/** Two plans are the same reminder when kind, subject and both times agree. */
export function planKey(p: Pick<ReminderPlan, 'kind' | 'subjectId' | 'subjectSeq' | 'fireAt' | 'dueAt'>): string {
  return [p.kind, p.subjectId ?? '', p.subjectSeq ?? '', p.fireAt.getTime(), p.dueAt.getTime()].join('|');
}
