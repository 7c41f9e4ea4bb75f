/**
 * The times reminders are reckoned in (pure: no database, no clock). Day-based reminders fire at
 * 09:00 Asia/Shanghai; a period of N days ends at 24:00 Shanghai of its N-th day. Which reminder
 * fires when is each kind's `plan` in reminder-registry.ts.
 */
import { addDays, atShanghaiTime, endOfShanghaiDay, shanghaiDate } from '../common/business-time';
import { ReminderKind } from './reminder-kinds';
import { ACCEPTANCE_PERIOD_DAYS, APPLICATION_WINDOW_DAYS, applicationWindowEnd, EXTENDED_RULING_PERIOD_DAYS, RULING_PERIOD_DAYS } from '../case-core/statutory-periods';

/** The statutory periods (with their legal sources) live in src/case-core/statutory-periods.ts; re-exported for the reminders. */
export { ACCEPTANCE_PERIOD_DAYS, APPLICATION_WINDOW_DAYS, applicationWindowEnd, EXTENDED_RULING_PERIOD_DAYS, RULING_PERIOD_DAYS };

export const DAY_REMINDER_HOUR = 9;
export const MEDIATION_WARNING_DAYS = 3;
export const APPLICATION_REMINDER_DAYS = [20, 27] as const;
export const RULING_REMINDER_DAY = 10;
export const INSTALLMENT_WARNING_DAYS = 3;
export const INSTALLMENT_BREACH_AFTER_DAYS = 1;

export interface ReminderPlan {
  kind: ReminderKind;
  subjectId: string | null;
  subjectSeq: number | null;
  fireAt: Date;
  /** The deadline the reminder is about (shown as the notification's dueAt). */
  dueAt: Date;
}

/** 09:00 Shanghai of a calendar day: when day-based reminders fire. */
export const nineAm = (date: string): Date => atShanghaiTime(date, DAY_REMINDER_HOUR);

/** The calendar day a deadline instant belongs to (24:00 is the end of the previous day). */
export function lastDayOf(deadlineAt: Date): string {
  return shanghaiDate(new Date(deadlineAt.getTime() - 1));
}


export const ACCEPTANCE_REMINDER_DAY = 2;

/** Without a holiday calendar: the ruling period counted from acceptance (the services move it past rest days). */
export function rulingDueAt(acceptedAt: Date): Date {
  return endOfShanghaiDay(addDays(shanghaiDate(acceptedAt), RULING_PERIOD_DAYS));
}

/** Two plans are the same reminder when kind, subject and both times agree. */
export function planKey(p: Pick<ReminderPlan, 'kind' | 'subjectId' | 'subjectSeq' | 'fireAt' | 'dueAt'>): string {
  return [p.kind, p.subjectId ?? '', p.subjectSeq ?? '', p.fireAt.getTime(), p.dueAt.getTime()].join('|');
}
